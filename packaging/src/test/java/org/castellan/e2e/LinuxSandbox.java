package org.castellan.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A private copy of /etc that processes see as /etc inside their own mount namespace
 * ({@code unshare -m}), so the real chpasswd changes accounts that exist only in the copy and
 * the accounts of the machine running the tests are never touched.
 */
final class LinuxSandbox {
    private final Path etc;
    private boolean readOnly;

    private LinuxSandbox(Path etc) {
        this.etc = etc;
    }

    /** Null when this machine cannot host the sandbox; {@link #whyUnavailable()} says why. */
    static LinuxSandbox create(Path workDir) throws Exception {
        Path etc = workDir.resolve("etc");
        ProcessResult copy = Processes.run(List.of("cp", "-a", "/etc", etc.toString()), Map.of(), null);
        assertThat(copy.exitCode()).as("copy /etc: " + copy.describe()).isZero();
        return new LinuxSandbox(etc);
    }

    static String whyUnavailable() {
        if (!System.getProperty("os.name").startsWith("Linux")) {
            return "the chpasswd end-to-end tests need Linux";
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return "the chpasswd end-to-end tests need root (unshare -m, mount --bind, chpasswd)";
        }
        try {
            Process p = new ProcessBuilder("unshare", "-m", "true").redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return "unshare -m is not permitted here: "
                        + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            }
            for (String tool : new String[] {"/usr/sbin/chpasswd", "/usr/sbin/useradd", "/usr/bin/perl"}) {
                if (!Files.isExecutable(Path.of(tool))) {
                    return tool + " is missing";
                }
            }
        } catch (IOException | InterruptedException e) {
            return "cannot run unshare: " + e.getMessage();
        }
        return null;
    }

    /** While set, the copy is mounted read-only, so chpasswd really fails. */
    void readOnly(boolean readOnly) {
        this.readOnly = readOnly;
    }

    /** Wraps a command so it runs with the copy bind-mounted over /etc. */
    List<String> wrap(List<String> command) {
        String mount = "mount --bind \"$0\" /etc"
                + (readOnly ? " && mount -o remount,ro,bind /etc" : "")
                + " && exec \"$@\"";
        List<String> wrapped = new ArrayList<>(List.of("unshare", "-m", "sh", "-c", mount, etc.toString()));
        wrapped.addAll(command);
        return wrapped;
    }

    void createAccount(String name) throws Exception {
        ProcessResult result = Processes.run(wrap(List.of("useradd", "-M", "-s", "/usr/sbin/nologin", name)), Map.of(), null);
        assertThat(result.exitCode()).as("useradd in sandbox: " + result.describe()).isZero();
        assertThat(Files.readString(Path.of("/etc/passwd"))).as("the host's accounts are untouched")
                .doesNotContain(name + ":");
    }

    /** The account's hash field from the copy's shadow file. */
    String shadowHash(String account) throws IOException {
        for (String line : Files.readAllLines(etc.resolve("shadow"))) {
            String[] fields = line.split(":", -1);
            if (fields[0].equals(account)) {
                return fields[1];
            }
        }
        throw new AssertionError("no shadow entry for " + account);
    }

    /** Logs in, as far as a password check goes: crypt(3) of the candidate equals the stored hash. */
    boolean passwordWorks(String account, String password) throws Exception {
        String hash = shadowHash(account);
        if (!hash.startsWith("$")) {
            return false;
        }
        ProcessResult result = Processes.run(List.of("perl", "-e",
                "local $/; my $p = <STDIN>; print(crypt($p, $ARGV[0]) eq $ARGV[0] ? 'MATCH' : 'NO')", hash),
                Map.of(), password);
        assertThat(result.exitCode()).as(result.describe()).isZero();
        return result.stdout().equals("MATCH");
    }

    Path etc() {
        return etc;
    }
}
