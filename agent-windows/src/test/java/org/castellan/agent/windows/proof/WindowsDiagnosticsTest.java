package org.castellan.agent.windows.proof;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.castellan.agent.spi.DiagnosticCheck;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.windows.account.LocalAccounts;
import org.castellan.agent.windows.account.LocalUser;
import org.castellan.agent.windows.account.SidAccount;
import org.castellan.agent.windows.jna.NativePassword;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Windows's diagnose checks and identity, on fakes of the loader, the SAM and the registry/WMI. */
class WindowsDiagnosticsTest {
    @TempDir
    Path tmp;

    @Test
    void everyBoundExportPresentPassesAndAMissingOneIsNamed() {
        List<DiagnosticCheck> all = new WindowsDiagnostics((lib, fn) -> true, accounts(false), identity("x", null))
                .checks(tmp);
        assertThat(all).filteredOn(c -> c.name().endsWith(".dll"))
                .extracting(DiagnosticCheck::status).containsOnly(DiagnosticCheck.Status.OK);
        assertThat(all).filteredOn(c -> c.name().equals("netapi32.dll")).singleElement()
                .satisfies(c -> assertThat(c.detail()).contains("all 8 functions"));

        List<DiagnosticCheck> missing = new WindowsDiagnostics((lib, fn) -> !fn.equals("NetUserSetInfo"),
                accounts(false), identity("x", null)).checks(tmp);
        assertThat(missing).filteredOn(c -> c.name().equals("netapi32.dll")).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(DiagnosticCheck.Status.FAIL);
            assertThat(c.detail()).contains("does not export NetUserSetInfo");
        });
    }

    @Test
    void aLibraryThatDoesNotLoadAndADomainControllerFail() {
        List<DiagnosticCheck> checks = new WindowsDiagnostics((lib, fn) -> {
            if (lib.equals("Crypt32")) {
                throw new UnsatisfiedLinkError("Unable to load library 'Crypt32'");
            }
            return true;
        }, accounts(true), identity(null, null)).checks(tmp);

        assertThat(checks).filteredOn(c -> c.status() == DiagnosticCheck.Status.FAIL).extracting(DiagnosticCheck::name)
                .containsExactlyInAnyOrder("crypt32.dll", "domain-controller");
        assertThat(checks).filteredOn(c -> c.name().equals("machine-identity-sources"))
                .extracting(DiagnosticCheck::status).containsExactly(DiagnosticCheck.Status.WARN);
    }

    @Test
    void identityTakesTheMachineGuidAndSmbiosUuidButNoPlaceholder() {
        assertThat(identity("{9F2C1D4E-8B6A-4F0E-A1B2-C3D4E5F60718}", "4C4C4544-0032-3510-8047-B4C04F4E4B32").get().sources())
                .containsEntry("MachineGuid", "9f2c1d4e-8b6a-4f0e-a1b2-c3d4e5f60718")
                .containsEntry("smbios-uuid", "4c4c4544-0032-3510-8047-b4c04f4e4b32");
        assertThat(identity("9f2c1d4e-8b6a-4f0e-a1b2-c3d4e5f60718", "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF").get().sources())
                .containsOnlyKeys("MachineGuid");
    }

    private static WindowsMachineIdentity identity(String guid, String uuid) {
        return new WindowsMachineIdentity(new IdentitySources() {
            public Optional<String> machineGuid() {
                return Optional.ofNullable(guid);
            }

            public Optional<String> smbiosUuid() {
                return Optional.ofNullable(uuid);
            }
        });
    }

    private static LocalAccounts accounts(boolean domainController) {
        return new LocalAccounts() {
            public boolean isDomainController() {
                return domainController;
            }

            public String accountDomainSid() {
                return "S-1-5-21-1-2-3";
            }

            public Optional<SidAccount> lookupSid(String sid) {
                return Optional.empty();
            }

            public Optional<LocalUser> user(String name) {
                return Optional.empty();
            }

            public int addUser(String name, NativePassword password, String comment) {
                return 0;
            }

            public int addLocalGroupMember(String groupName, String memberSid) {
                return 0;
            }

            public int setUserFlags(String name, int flags) {
                return 0;
            }

            public int setPassword(String name, NativePassword password) {
                return 0;
            }

            public int logonNetwork(String name, NativePassword password) {
                return 0;
            }

            public int deleteUser(String name) {
                return 0;
            }

            public java.util.OptionalLong samPasswordLastSet(long rid) {
                return java.util.OptionalLong.empty();
            }
        };
    }
}
