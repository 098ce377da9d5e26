package org.castellan.agent.linux;

import java.nio.file.Path;
import org.castellan.agent.cli.AgentContext;
import org.castellan.agent.cli.AgentMain;
import org.castellan.agent.spi.AccountManager;
import org.castellan.agent.spi.KeyProtector;
import org.castellan.agent.spi.ManagedAccount;
import org.castellan.agent.spi.OsInfo;
import org.castellan.agent.spi.Platform;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.spi.ServiceInstaller;
import org.castellan.agent.spi.ThrowawayAccounts;

/**
 * Run by {@link SelfTestNamespaceTest} inside the namespace: the real {@code castellan-agent
 * selftest} on the real {@link LinuxPlatform}, except that right after useradd created the
 * throwaway account it prints {@code PAUSED name} and blocks, so the test can SIGKILL it at
 * exactly that point.
 */
public final class PausingSelfTestMain {
    private PausingSelfTestMain() {}

    public static void main(String[] args) {
        LinuxPlatform real = new LinuxPlatform(System.getenv());
        Platform pausing = new Platform() {
            public String os() {
                return real.os();
            }

            public OsInfo osInfo() {
                return real.osInfo();
            }

            public Path defaultStateDir() {
                return real.defaultStateDir();
            }

            public AccountManager accounts() {
                return real.accounts();
            }

            public KeyProtector keyProtector() {
                return real.keyProtector();
            }

            public void secureStateDir(Path stateDir) throws PlatformException {
                real.secureStateDir(stateDir);
            }

            public ServiceInstaller serviceInstaller() {
                return real.serviceInstaller();
            }

            public ThrowawayAccounts throwawayAccounts() {
                ThrowawayAccounts accounts = real.throwawayAccounts();
                return new ThrowawayAccounts() {
                    public boolean exists(String name) throws PlatformException {
                        return accounts.exists(name);
                    }

                    public ManagedAccount create(String name) throws PlatformException {
                        ManagedAccount created = accounts.create(name);
                        System.out.println("PAUSED " + name);
                        System.out.flush();
                        try {
                            Thread.sleep(Long.MAX_VALUE);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return created;
                    }

                    public void delete(String name) throws PlatformException {
                        accounts.delete(name);
                    }
                };
            }
        };
        AgentContext system = AgentContext.system();
        System.exit(AgentMain.run(new AgentContext(() -> pausing, system.env(), system.stdin(), system.out(),
                system.err(), system.clock(), system.random(), system.connector()), args));
    }
}
