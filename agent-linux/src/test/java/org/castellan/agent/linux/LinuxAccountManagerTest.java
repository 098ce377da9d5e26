package org.castellan.agent.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.castellan.agent.spi.ManagedAccount;
import org.castellan.agent.spi.PlatformException;
import org.castellan.protocol.Secret;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The account manager on recorded passwd/shadow files and with stand-in chpasswd scripts. */
@EnabledOnOs(OS.LINUX)
class LinuxAccountManagerTest {
    @TempDir
    Path tmp;
    Path passwd;
    Path shadow;

    @BeforeEach
    void files() throws Exception {
        passwd = tmp.resolve("passwd");
        shadow = tmp.resolve("shadow");
        Files.writeString(passwd, Resources.text("accounts/passwd"));
        Files.writeString(shadow, Resources.text("accounts/shadow"));
    }

    private LinuxAccountManager manager(String chpasswd) {
        return new LinuxAccountManager(passwd, shadow, chpasswd);
    }

    private Path script(String name, String body) throws Exception {
        Path file = tmp.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    @Test
    void emptyPolicyAccountMeansRoot() throws Exception {
        assertThat(manager("/bin/false").resolve("")).isEqualTo(new ManagedAccount("root", "0"));
        assertThat(manager("/bin/false").resolve(null)).isEqualTo(new ManagedAccount("root", "0"));
        assertThat(manager("/bin/false").resolve("admin")).isEqualTo(new ManagedAccount("admin", "1000"));
    }

    @Test
    void missingAccountIsAccountMissing() {
        assertThatThrownBy(() -> manager("/bin/false").resolve("localadmin"))
                .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo("account-missing"))
                .hasMessageContaining("no local account named localadmin");
        assertThatThrownBy(() -> manager("/bin/false").resolve("a:b"))
                .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo("account-unsupported"));
    }

    @Test
    void markerIsTheSha256OfTheShadowHashAndChangesWithIt() throws Exception {
        LinuxAccountManager manager = manager("/bin/false");
        ManagedAccount root = manager.resolve("root");
        String hash = PasswdParser.shadowHash(Files.readString(shadow), "root").orElseThrow();

        String before = manager.passwordMarker(root);
        assertThat(before).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(hash.getBytes(StandardCharsets.UTF_8))));
        assertThat(before).doesNotContain(hash);

        Files.writeString(shadow, Files.readString(shadow).replace(hash, "$6$new$hash"));
        assertThat(manager.passwordMarker(root)).isNotEqualTo(before).hasSize(64);
    }

    @Test
    void lockedAccountIsReportedAsAWarning() throws Exception {
        assertThat(manager("/bin/false").warnings(new ManagedAccount("admin", "1000"))).containsExactly("password-locked");
        assertThat(manager("/bin/false").warnings(new ManagedAccount("root", "0"))).isEmpty();
    }

    @Test
    void chpasswdGetsNameColonPasswordOnStdinNothingOnItsCommandLineAndACleanEnvironment() throws Exception {
        Path chpasswd = script("chpasswd", "echo $# > " + tmp.resolve("argc") + "\nenv > " + tmp.resolve("env")
                + "\ncat > " + tmp.resolve("stdin"));

        try (Secret password = Secret.of("Tr0ub4dor&3:with-colon")) {
            manager(chpasswd.toString()).setPassword(new ManagedAccount("root", "0"), password);
        }

        assertThat(Files.readString(tmp.resolve("stdin"))).isEqualTo("root:Tr0ub4dor&3:with-colon\n");
        assertThat(Files.readString(tmp.resolve("argc")).strip()).isEqualTo("0");
        Map<String, String> env = Files.readAllLines(tmp.resolve("env")).stream().filter(l -> l.contains("="))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1)));
        assertThat(env).containsEntry("LC_ALL", "C");
        assertThat(env.keySet()).isSubsetOf(Set.of("PATH", "LC_ALL", "PWD", "SHLVL", "_"));
    }

    @Test
    void failingChpasswdIsSetPasswordFailedWithItsOutput() throws Exception {
        Path chpasswd = script("chpasswd", "cat > /dev/null\n"
                + "echo 'chpasswd: (user root) pam_chauthtok() failed, error:' >&2\n"
                + "echo 'Authentication token manipulation error' >&2\nexit 1");

        assertThatThrownBy(() -> {
            try (Secret password = Secret.of("S3cret-Value!")) {
                manager(chpasswd.toString()).setPassword(new ManagedAccount("root", "0"), password);
            }
        }).isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo("set-password-failed"))
                .hasMessageContaining("exited with status 1 for account root")
                .hasMessageContaining("pam_chauthtok() failed, error:; Authentication token manipulation error")
                .hasMessageNotContaining("S3cret-Value!");
    }

    @Test
    void missingChpasswdIsSetPasswordFailed() {
        assertThatThrownBy(() -> {
            try (Secret password = Secret.of("S3cret-Value!")) {
                manager(tmp.resolve("no-such-tool").toString()).setPassword(new ManagedAccount("root", "0"), password);
            }
        }).isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo("set-password-failed"))
                .hasMessageContaining("no-such-tool");
    }

    @Test
    void passwordWithALineBreakIsRefusedBeforeChpasswdRuns() throws Exception {
        Path chpasswd = script("chpasswd", "touch " + tmp.resolve("ran"));

        assertThatThrownBy(() -> {
            try (Secret password = Secret.of("two\nlines")) {
                manager(chpasswd.toString()).setPassword(new ManagedAccount("root", "0"), password);
            }
        }).isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.code()).isEqualTo("password-unsupported"));
        assertThat(tmp.resolve("ran")).doesNotExist();
    }

    @Test
    void chpasswdPathCanBeOverriddenByEnvironment() {
        assertThat(LinuxAccountManager.chpasswdPath(Map.of())).isEqualTo("/usr/sbin/chpasswd");
        assertThat(LinuxAccountManager.chpasswdPath(Map.of("CASTELLAN_CHPASSWD", "/opt/bin/chpasswd")))
                .isEqualTo("/opt/bin/chpasswd");
    }
}
