package org.castellan.agent.fake;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.castellan.agent.spi.DiagnosticCheck;
import org.castellan.agent.spi.MachineIdentity;
import org.castellan.agent.spi.ThrowawayAccounts;
import org.castellan.agent.spi.AccountManager;
import org.castellan.agent.spi.KeyProtector;
import org.castellan.agent.spi.OsInfo;
import org.castellan.agent.spi.Platform;
import org.castellan.agent.spi.RecoveryKeySource;
import org.castellan.agent.spi.ServiceInstaller;
import org.castellan.agent.spi.ServiceSpec;

/** A platform for core tests: fake accounts, identity key sealing, a recording service installer. */
public final class FakePlatform implements Platform {
    public final FakeAccounts accounts = new FakeAccounts();
    public final FakeRecoveryKeys recoveryKeys = new FakeRecoveryKeys();
    public final List<Path> securedDirs = new ArrayList<>();
    /** Every {@link #useStateDir} call, in order. */
    public final List<Path> usedStateDirs = new ArrayList<>();
    public final List<ServiceSpec> installed = new ArrayList<>();
    public int uninstalls;
    public Path defaultStateDir;
    public String hostname = "host-1";
    public final FakeThrowawayAccounts throwaway = new FakeThrowawayAccounts();
    public final FakeAdminRights adminRights = new FakeAdminRights();
    /** What {@link #machineIdentity} reports; change it to simulate a copy on another machine. */
    public Map<String, String> identity = Map.of("machine-id", "0123456789abcdef0123456789abcdef");
    public final List<DiagnosticCheck> platformChecks = new ArrayList<>();

    public FakePlatform(Path defaultStateDir) {
        this.defaultStateDir = defaultStateDir;
    }

    @Override
    public String os() {
        return "linux";
    }

    @Override
    public OsInfo osInfo() {
        return new OsInfo(hostname, "Test OS 1.0");
    }

    @Override
    public Path defaultStateDir() {
        return defaultStateDir;
    }

    @Override
    public AccountManager accounts() {
        return accounts;
    }

    @Override
    public RecoveryKeySource recoveryKeys() {
        return recoveryKeys;
    }

    @Override
    public org.castellan.agent.spi.AdminRights adminRights() {
        return adminRights;
    }

    @Override
    public MachineIdentity machineIdentity() {
        return new MachineIdentity(identity);
    }

    @Override
    public ThrowawayAccounts throwawayAccounts() {
        return throwaway;
    }

    @Override
    public List<DiagnosticCheck> diagnostics(Path stateDir) {
        return List.copyOf(platformChecks);
    }

    @Override
    public KeyProtector keyProtector() {
        return new KeyProtector() {
            @Override
            public String name() {
                return "test-identity";
            }

            @Override
            public byte[] seal(byte[] plaintext) {
                return plaintext.clone();
            }

            @Override
            public byte[] unseal(byte[] sealed) {
                return sealed.clone();
            }
        };
    }

    @Override
    public void useStateDir(Path stateDir) {
        usedStateDirs.add(stateDir);
    }

    @Override
    public void secureStateDir(Path stateDir) {
        securedDirs.add(stateDir);
    }

    @Override
    public ServiceInstaller serviceInstaller() {
        return new ServiceInstaller() {
            @Override
            public void install(ServiceSpec spec) {
                installed.add(spec);
            }

            @Override
            public void uninstall() {
                uninstalls++;
            }

            @Override
            public String status() {
                return installed.isEmpty() ? "not installed" : "installed";
            }
        };
    }
}
