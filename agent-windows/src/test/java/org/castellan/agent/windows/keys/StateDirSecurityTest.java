package org.castellan.agent.windows.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryFlag;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.castellan.agent.spi.PlatformException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class StateDirSecurityTest {
    record Principal(String getName) implements UserPrincipal {}

    static final Principal SYSTEM = new Principal("AUTORITE NT\\Système");
    static final Principal ADMINS = new Principal("BUILTIN\\Administrateurs");

    static class FakeFileSecurity implements FileSecurity {
        final Map<Path, List<AclEntry>> acls = new LinkedHashMap<>();
        final List<Path> protectedPaths = new java.util.ArrayList<>();
        final List<String> sidsLookedUp = new java.util.ArrayList<>();

        @Override
        public UserPrincipal principalOfSid(String sid) throws IOException {
            sidsLookedUp.add(sid);
            return switch (sid) {
                case "S-1-5-18" -> SYSTEM;
                case "S-1-5-32-544" -> ADMINS;
                default -> throw new IOException("unknown SID " + sid);
            };
        }

        @Override
        public void setAcl(Path path, List<AclEntry> entries) {
            acls.put(path, entries);
        }

        @Override
        public void protectFromInheritance(Path path) {
            protectedPaths.add(path);
        }
    }

    @Test
    void directoryAclGrantsFullControlToSystemAndAdministratorsOnlyAndIsInherited() {
        List<AclEntry> entries = StateDirAcl.entries(SYSTEM, ADMINS, true);

        assertThat(entries).extracting(AclEntry::principal).containsExactly(SYSTEM, ADMINS);
        assertThat(entries).allSatisfy(e -> {
            assertThat(e.type()).isEqualTo(AclEntryType.ALLOW);
            assertThat(e.permissions()).isEqualTo(EnumSet.allOf(AclEntryPermission.class));
            assertThat(e.flags()).containsExactlyInAnyOrder(AclEntryFlag.FILE_INHERIT, AclEntryFlag.DIRECTORY_INHERIT);
        });
    }

    @Test
    void fileAclCarriesNoInheritanceFlags() {
        assertThat(StateDirAcl.entries(SYSTEM, ADMINS, false)).allSatisfy(e -> assertThat(e.flags()).isEmpty());
    }

    @Test
    void secureCreatesTheDirectoryLooksPrincipalsUpBySidAndCoversExistingFiles(@TempDir Path tmp) throws Exception {
        Path state = tmp.resolve("Castellan");
        Files.createDirectories(state.resolve("logs"));
        Files.writeString(state.resolve("device-key.sealed"), "x");
        FakeFileSecurity files = new FakeFileSecurity();

        new StateDirSecurity(files).secure(state);

        assertThat(files.sidsLookedUp).containsExactly("S-1-5-18", "S-1-5-32-544");
        assertThat(files.protectedPaths).containsExactly(state);
        assertThat(files.acls).containsOnlyKeys(state, state.resolve("logs"), state.resolve("device-key.sealed"));
        assertThat(files.acls.get(state.resolve("device-key.sealed"))).allSatisfy(e -> assertThat(e.flags()).isEmpty());
        assertThat(files.acls.get(state.resolve("logs"))).allSatisfy(e -> assertThat(e.flags()).isNotEmpty());
    }

    @Test
    void failureToApplyIsAPlatformErrorNamingTheDirectory(@TempDir Path tmp) {
        FileSecurity ioFailing = new FakeFileSecurity() {
            @Override
            public UserPrincipal principalOfSid(String sid) throws IOException {
                throw new IOException("LookupAccountSid failed");
            }
        };

        assertThatThrownBy(() -> new StateDirSecurity(ioFailing).secure(tmp))
                .isInstanceOf(PlatformException.class)
                .hasMessageContaining(tmp.toString())
                .extracting(e -> ((PlatformException) e).code()).isEqualTo("state-dir-insecure");
    }

    @Test
    @EnabledOnOs(OS.WINDOWS)
    void realAclLeavesOnlySystemAndAdministrators(@TempDir Path tmp) throws Exception {
        Path state = tmp.resolve("Castellan");
        new StateDirSecurity(new WindowsFileSecurity()).secure(state);

        List<AclEntry> acl = Files.getFileAttributeView(state, java.nio.file.attribute.AclFileAttributeView.class).getAcl();
        WindowsFileSecurity real = new WindowsFileSecurity();
        assertThat(acl).extracting(AclEntry::principal)
                .containsOnly(real.principalOfSid("S-1-5-18"), real.principalOfSid("S-1-5-32-544"));
    }
}
