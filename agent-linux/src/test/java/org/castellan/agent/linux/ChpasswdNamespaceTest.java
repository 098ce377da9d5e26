package org.castellan.agent.linux;

import org.castellan.testsupport.Prerequisite;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.castellan.agent.password.PasswordGenerator;
import org.castellan.protocol.Secret;
import org.castellan.protocol.messages.AccountOptions;
import org.castellan.protocol.messages.AgentPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The real chpasswd, for real, on a throw-away copy of /etc: each test runs in a private mount
 * namespace ({@code unshare -m}) where the copy is bind-mounted over /etc, creates a test account
 * there with useradd, and sets its password through {@link LinuxAccountManager} in a child JVM.
 * The host's own account files are checked to be untouched.
 */
@EnabledOnOs(OS.LINUX)
class ChpasswdNamespaceTest {
    private static final String USER = "castellan-it";
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    /** Not a JUnit @TempDir: its clean-up warns about every symlink in the copy of /etc. */
    Path tmp;
    Path etcCopy;
    String hostShadowDigest;
    String hostPasswdDigest;

    record Run(int exit, String stdout) {}

    @BeforeEach
    void namespaceWithCopiedEtc() throws Exception {
        Prerequisite.requireRoot("a mount namespace and useradd/chpasswd inside it");
        Prerequisite.requireExecutable("/usr/sbin/chpasswd", "passwd");
        Prerequisite.requireExecutable("/usr/sbin/useradd", "passwd");
        Prerequisite.requireExecutable("/usr/bin/unshare", "util-linux");
        Prerequisite.requireExecutable("/usr/bin/perl", "perl");
        Run probe = run(List.of("unshare", "-m", "sh", "-c", "mount --bind / /mnt && umount /mnt"), null);
        Prerequisite.require(probe.exit() == 0, "unshare -m with bind mounts (" + probe.stdout().strip() + ")",
                "run as root on a host or container that allows mount namespaces");

        tmp = Files.createTempDirectory("castellan-etc-copy");
        hostShadowDigest = digest(Path.of("/etc/shadow"));
        hostPasswdDigest = digest(Path.of("/etc/passwd"));
        etcCopy = tmp.resolve("etc");
        Run copy = run(List.of("cp", "-a", "/etc", etcCopy.toString()), null);
        assertThat(copy.exit()).as("cp -a /etc: %s", copy.stdout()).isZero();
    }

    @AfterEach
    void removeCopy() throws Exception {
        if (tmp != null && tmp.getFileName().toString().startsWith("castellan-etc-copy")) {
            run(List.of("rm", "-rf", "--one-file-system", tmp.toString()), null);
        }
    }

    private String generatedPassword() {
        try (Secret secret = new PasswordGenerator(new SecureRandom())
                .generate(new AgentPolicy("", 24, "full", 0, false, 30, 3600, AccountOptions.NONE))) {
            return secret.reveal();
        }
    }

    private Run inNamespace(String beforeJava, String password) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String script = "set -e\n"
                + "mount --bind '" + etcCopy + "' /etc\n"
                + "useradd -M -l -s /usr/sbin/nologin " + USER + " </dev/null\n"
                + beforeJava
                + "exec '" + java + "' -cp '" + classPath + "' " + SetPasswordMain.class.getName() + " " + USER + "\n";
        return run(List.of("unshare", "-m", "sh", "-c", script), (password + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void chpasswdSetsAPasswordThatVerifiesAgainstTheNewShadowHash() throws Exception {
        String password = generatedPassword();

        Run result = inNamespace("", password);

        assertThat(result.exit()).as(result.stdout()).isZero();
        String[] words = result.stdout().strip().split(" ");
        assertThat(words[0]).isEqualTo("ok");
        assertThat(words[1]).as("marker changes with the password").isNotEqualTo(words[2]);

        String hash = PasswdParser.shadowHash(Files.readString(etcCopy.resolve("shadow")), USER).orElseThrow();
        assertThat(hash).startsWith("$");
        assertThat(cryptMatches(password, hash)).isTrue();
        assertThat(cryptMatches(password + "x", hash)).as("the check can fail").isFalse();
        assertThat(words[2]).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(hash.getBytes(StandardCharsets.UTF_8))));
        assertHostUntouched();
    }

    @Test
    void chpasswdOnReadOnlyEtcFailsAsSetPasswordFailedAndChangesNothing() throws Exception {
        String password = generatedPassword();
        String hashAfter;

        Run result = inNamespace("mount -o remount,ro,bind /etc\n", password);

        assertThat(result.exit()).as(result.stdout()).isEqualTo(3);
        String[] words = result.stdout().strip().split(" ", 5);
        assertThat(words[0]).isEqualTo("failed");
        assertThat(words[1]).isEqualTo("set-password-failed");
        assertThat(words[2]).as("marker unchanged").isEqualTo(words[3]);
        assertThat(words[4]).contains("exited with status").doesNotContain(password);
        hashAfter = PasswdParser.shadowHash(Files.readString(etcCopy.resolve("shadow")), USER).orElseThrow();
        assertThat(hashAfter).doesNotStartWith("$");
        assertHostUntouched();
    }

    private void assertHostUntouched() throws Exception {
        assertThat(digest(Path.of("/etc/shadow"))).isEqualTo(hostShadowDigest);
        assertThat(digest(Path.of("/etc/passwd"))).isEqualTo(hostPasswdDigest);
        assertThat(Files.readString(Path.of("/etc/passwd"))).doesNotContain(USER + ":");
    }

    /** perl's crypt() is libcrypt's, which knows every hash scheme chpasswd may use (yescrypt, SHA-512). */
    private static boolean cryptMatches(String password, String hash) throws Exception {
        Run run = run(List.of("perl", "-e",
                "my $p = <STDIN>; chomp $p; print crypt($p, $ARGV[0]) eq $ARGV[0] ? 'match' : 'mismatch'", hash),
                (password + "\n").getBytes(StandardCharsets.UTF_8));
        assertThat(run.exit()).as(run.stdout()).isZero();
        return run.stdout().strip().equals("match");
    }

    private static String digest(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static Run run(List<String> command, byte[] stdin) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin);
            }
        }
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(command.get(0) + " timed out");
        }
        return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
