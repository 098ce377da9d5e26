package org.castellan.agent.windows;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicBoolean;
import org.castellan.agent.spi.AccountManager;
import org.castellan.agent.spi.AgentService;
import org.castellan.agent.spi.KeyProtector;
import org.castellan.agent.spi.ManagedAccount;
import org.castellan.agent.spi.OsInfo;
import org.castellan.agent.spi.PlatformProvider;
import org.castellan.agent.spi.RecoveryKeySource;
import org.castellan.agent.spi.ServiceInstaller;
import org.castellan.agent.spi.ServiceSpec;
import org.castellan.agent.windows.keys.StateDirSecurity;
import org.castellan.agent.windows.service.ServiceControlDispatcher;
import org.castellan.agent.windows.service.ServiceStatusValue;
import org.castellan.agent.windows.service.WindowsServiceRunner;
import org.castellan.protocol.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class WindowsPlatformTest {
    @Test
    void providerIsFoundByServiceLoaderAndOnlySupportsWindows() {
        List<PlatformProvider> providers = ServiceLoader.load(PlatformProvider.class).stream()
                .map(ServiceLoader.Provider::get).toList();

        assertThat(providers).hasAtLeastOneElementOfType(WindowsPlatformProvider.class);
        assertThat(WindowsPlatformProvider.supports("Windows 11")).isTrue();
        assertThat(WindowsPlatformProvider.supports("Windows Server 2022")).isTrue();
        assertThat(WindowsPlatformProvider.supports("Linux")).isFalse();
        assertThat(WindowsPlatformProvider.supports("Mac OS X")).isFalse();
    }

    @Test
    void stateDirDefaultsToProgramDataCastellan() {
        assertThat(WindowsPaths.stateDir(Map.of("ProgramData", "D:\\ProgramData"))).isEqualTo("D:\\ProgramData\\Castellan");
        assertThat(WindowsPaths.stateDir(Map.of("ProgramData", "D:\\ProgramData\\"))).isEqualTo("D:\\ProgramData\\Castellan");
        assertThat(WindowsPaths.stateDir(Map.of())).isEqualTo("C:\\ProgramData\\Castellan");
        assertThat(WindowsPaths.stateDir(Map.of("ProgramData", " "))).isEqualTo("C:\\ProgramData\\Castellan");
    }

    @Test
    void windows11IsNamedFromTheBuildBecauseProductNameStillSaysWindows10() {
        assertThat(WindowsOsInfo.describe("Windows 10 Pro", "22631", 3880, "Windows 11")).isEqualTo("Windows 11 Pro (build 22631.3880)");
        assertThat(WindowsOsInfo.describe("Windows 10 Enterprise", "19045", 4651, "Windows 10"))
                .isEqualTo("Windows 10 Enterprise (build 19045.4651)");
        assertThat(WindowsOsInfo.describe("Windows Server 2022 Standard", "20348", 2582, "Windows Server 2022"))
                .isEqualTo("Windows Server 2022 Standard (build 20348.2582)");
    }

    @Test
    void platformHandsOutTheWiredPartsAndRunsInTheForegroundWhenNotAService() throws Exception {
        AccountManager accounts = new AccountManager() {
            public ManagedAccount resolve(String policyAccount) {
                return new ManagedAccount("Administrator", "S-1-5-21-1-2-3-500");
            }

            public String passwordMarker(ManagedAccount account) {
                return "sam:1";
            }

            public void setPassword(ManagedAccount account, Secret newPassword) {}

            public org.castellan.agent.spi.PasswordCheck verifyPassword(ManagedAccount account, Secret password) {
                return org.castellan.agent.spi.PasswordCheck.failed("not used here");
            }
        };
        ServiceControlDispatcher console = new ServiceControlDispatcher() {
            public int runDispatcher(String serviceName, Runnable serviceMain) {
                return ERROR_FAILED_SERVICE_CONTROLLER_CONNECT;
            }

            public Object registerHandler(String serviceName, ControlHandler handler) {
                throw new AssertionError("not a service");
            }

            public void setStatus(Object handle, ServiceStatusValue status) {
                throw new AssertionError("not a service");
            }
        };
        KeyProtector keys = new KeyProtector() {
            public String name() {
                return "fake";
            }

            public byte[] seal(byte[] plaintext) {
                return plaintext;
            }

            public byte[] unseal(byte[] sealed) {
                return sealed;
            }
        };
        ServiceInstaller installer = new ServiceInstaller() {
            public void install(ServiceSpec spec) {}

            public void uninstall() {}

            public String status() {
                return "not installed";
            }
        };
        WindowsPlatform platform = new WindowsPlatform(accounts, keys, new StateDirSecurity(null), installer,
                RecoveryKeySource.NONE, new WindowsServiceRunner(console), () -> new OsInfo("PC1", "Windows 11"),
                Path.of("C:\\ProgramData\\Castellan"));
        AtomicBoolean ran = new AtomicBoolean();

        platform.runAsService(new AgentService() {
            public void run() {
                ran.set(true);
            }

            public void stop() {}
        });

        assertThat(ran).isTrue();
        assertThat(platform.os()).isEqualTo("windows");
        assertThat(platform.accounts()).isSameAs(accounts);
        assertThat(platform.keyProtector()).isSameAs(keys);
        assertThat(platform.serviceInstaller()).isSameAs(installer);
        assertThat(platform.osInfo().hostname()).isEqualTo("PC1");
        assertThat(platform.defaultStateDir()).isEqualTo(Path.of("C:\\ProgramData\\Castellan"));
    }

    @Test
    void creatingTheRealPlatformLoadsNoNativeLibraryOnThisOs() {
        // Wiring only: JNA libraries load on first use, so this also works on Linux.
        WindowsPlatform platform = WindowsPlatform.create(Map.of());

        assertThat(platform.defaultStateDir().toString()).isEqualTo("C:\\ProgramData\\Castellan");
        assertThat(platform.keyProtector().name()).isEqualTo("dpapi-machine");
        // agent-core escrows what this source scans: it must be BitLocker, not the SPI's NONE.
        assertThat(platform.recoveryKeys()).isInstanceOf(org.castellan.agent.windows.bitlocker.BitLockerRecoveryKeys.class)
                .isNotSameAs(RecoveryKeySource.NONE);
    }

    @Test
    @EnabledOnOs(OS.WINDOWS)
    void realProviderIsChosenOnWindows() {
        assertThat(new WindowsPlatformProvider().isSupported()).isTrue();
        assertThat(new WindowsPlatformProvider().create().osInfo().hostname()).isNotBlank();
    }
}
