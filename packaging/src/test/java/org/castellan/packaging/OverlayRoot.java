package org.castellan.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A throwaway copy of this machine's root file system for installing packages for real: an
 * overlay mount (lower: the real /, upper: a temp directory) seen only inside a private mount
 * namespace ({@code unshare -m}), entered with chroot. dpkg, adduser and the maintainer scripts run
 * unmodified; every file they write lands in the upper directory, and the host's /, its dpkg
 * database and /etc/passwd are never touched.
 */
final class OverlayRoot {
    /** Takes Java out of the overlay: an endpoint with none (the agent packages bring their own runtime). */
    static final String NO_JAVA = "rm -f /usr/bin/java /etc/alternatives/java && rm -rf /usr/lib/jvm";
    /**
     * systemd as the install scripts see it, faked: {@code /run/systemd/system} exists, and a
     * {@code systemctl} first on PATH only appends its arguments to a log ({@link #systemctlCalls()}).
     */
    static final String FAKE_SYSTEMD = "mkdir -p /run/systemd/system /usr/local/sbin"
            + " && printf '#!/bin/sh\\necho \"$*\" >> /var/log/fake-systemctl.log\\n' > /usr/local/sbin/systemctl"
            + " && chmod 0755 /usr/local/sbin/systemctl";

    // $0..$4: upper, work, merged, directory with the .deb files, command to run in the chroot.
    private static final String ENTER = String.join("\n",
            "set -e",
            "mount -t overlay castellan-test -o lowerdir=/,upperdir=\"$0\",workdir=\"$1\" \"$2\"",
            "mount --rbind /proc \"$2/proc\"",
            "mount --rbind /dev \"$2/dev\"",
            "mkdir -p \"$2/debs\"",
            "mount --bind \"$3\" \"$2/debs\"",
            "exec chroot \"$2\" /bin/sh -c \"$4\"");

    private final Path upper;
    private final Path work;
    private final Path merged;
    private final Path debs;

    private OverlayRoot(Path dir, Path debs) throws IOException {
        this.upper = Files.createDirectories(dir.resolve("upper"));
        this.work = Files.createDirectories(dir.resolve("work"));
        this.merged = Files.createDirectories(dir.resolve("merged"));
        this.debs = debs;
    }

    /** A fresh overlay kept in {@code dir}; {@code debs} is visible inside as /debs. */
    static OverlayRoot create(Path dir, Path debs) throws IOException {
        return new OverlayRoot(dir, debs);
    }

    /** Null when this machine can host an overlay root; otherwise why not. */
    static String whyUnavailable(Path probeDir) {
        if (!System.getProperty("os.name").startsWith("Linux")) {
            return "installing the packages needs Linux";
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return "installing the packages needs root (unshare -m, overlay mount, chroot, dpkg)";
        }
        for (String tool : List.of("unshare", "chroot", "dpkg", "mount")) {
            if (!Command.available(tool)) {
                return tool + " is not installed";
            }
        }
        try {
            Command.Result probe = create(probeDir, probeDir).run("test -x /usr/bin/dpkg && echo inside");
            if (probe.exitCode() != 0 || !probe.stdout().contains("inside")) {
                return "cannot mount an overlay root in a private mount namespace here: " + probe.describe();
            }
        } catch (IOException | InterruptedException e) {
            return "cannot run unshare: " + e.getMessage();
        }
        return null;
    }

    /** Runs {@code shell} with /bin/sh chrooted into the overlay. */
    Command.Result run(String shell) throws IOException, InterruptedException {
        return run(shell, 60);
    }

    Command.Result run(String shell, int timeoutSeconds) throws IOException, InterruptedException {
        return Command.run(List.of("unshare", "-m", "sh", "-c", ENTER,
                upper.toString(), work.toString(), merged.toString(), debs.toString(), shell), java.util.Map.of(),
                timeoutSeconds);
    }

    /** Runs {@code shell} in the overlay and returns its stripped stdout, failing the test on a non-zero exit. */
    String ok(String shell) throws IOException, InterruptedException {
        Command.Result result = run(shell, 120);
        assertThat(result.exitCode()).as(shell + ": " + result.describe()).isZero();
        return result.stdout().strip();
    }

    /** What the {@link #FAKE_SYSTEMD} systemctl was asked, a call a line (none when it was never run). */
    List<String> systemctlCalls() throws IOException, InterruptedException {
        return ok("cat /var/log/fake-systemctl.log 2>/dev/null || true").lines().toList();
    }

    /** Whether crypt(3) of {@code password} equals {@code account}'s hash in the overlay's /etc/shadow (perl). */
    boolean passwordWorks(String account, String password) throws IOException, InterruptedException {
        String hash = ok("getent shadow " + account + " | cut -d: -f2");
        Path file = Files.createTempFile("pw", ".txt");
        try {
            Files.writeString(file, password);
            Command.Result check = Command.run(List.of("perl", "-e",
                    "open my $f, '<', $ARGV[1] or die; local $/; my $p = <$f>; print(crypt($p, $ARGV[0]) eq $ARGV[0] ? 'MATCH' : 'NO')",
                    hash, file.toString()));
            return check.stdout().equals("MATCH");
        } finally {
            Files.delete(file);
        }
    }

    /** What the packages wrote: the overlay's upper directory (host paths of changed files). */
    Path upper() {
        return upper;
    }
}
