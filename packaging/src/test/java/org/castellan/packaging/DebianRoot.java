package org.castellan.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A lean Debian 12 root file system with systemd in it, and a fresh copy of it for each boot. It is
 * the build's one debootstrapped root ({@link DebootstrapRoot}: minbase plus passwd, also what
 * {@link RpmInstallIT} installs into) copied, with {@link #PACKAGES} added by apt-get (no
 * recommends, as debootstrap {@code --include} does) from Debian's mirror, so a build debootstraps
 * once however many classes need a root. The pristine tree stays in {@code target/} (nothing is
 * cached anywhere else, so a fresh CI clone builds it once); its marker names the package list, so
 * changing the list makes a new one.
 */
final class DebianRoot {
    static final String SUITE = DebootstrapRoot.SUITE;
    static final String MIRROR = DebootstrapRoot.MIRROR;
    /**
     * What the tests need beyond minbase, and nothing else: systemd and dbus to boot;
     * openjdk-17-jre-headless for the packages' Java dependency; adduser for the server package;
     * openssl to read the server's fingerprint as the README says; sudo (visudo) and cryptsetup-bin
     * to prove the agent unit leaves room for just-in-time sudoers grants and LUKS key slots.
     * perl (crypt checks) and passwd (chpasswd, useradd) are in minbase already.
     */
    static final List<String> PACKAGES = List.of("systemd", "dbus", "openjdk-17-jre-headless", "adduser", "openssl",
            "sudo", "cryptsetup-bin");

    private DebianRoot() {}

    /** Null when debootstrap and systemd-nspawn can run here; otherwise why not. */
    static String whyUnavailable() {
        if (!System.getProperty("os.name").startsWith("Linux")) {
            return "booting systemd in a container needs Linux";
        }
        if (!org.castellan.testsupport.Prerequisite.isRoot()) {
            return "debootstrap and systemd-nspawn need root";
        }
        for (String tool : List.of("debootstrap", "systemd-nspawn", "nsenter")) {
            if (!Command.available(tool)) {
                return tool + " is not installed";
            }
        }
        return null;
    }

    /** A fresh copy of the pristine root in {@code workDir}, debootstrapping the pristine one first if needed. */
    static Path freshCopy(Path buildDir, Path workDir) throws Exception {
        Path pristine = pristine(buildDir);
        Path copy = workDir.resolve("root");
        if (Files.exists(copy)) {
            run(List.of("rm", "-rf", "--one-file-system", copy.toString()), Duration.ofMinutes(2));
        }
        Files.createDirectories(workDir);
        run(List.of("cp", "-a", "--reflink=auto", pristine.toString(), copy.toString()), Duration.ofMinutes(3));
        return copy;
    }

    private static synchronized Path pristine(Path buildDir) throws Exception {
        Files.createDirectories(buildDir);
        // Also one at a time across JVMs (failsafe forks) sharing the build directory.
        try (FileChannel lock = FileChannel.open(buildDir.resolve("debian-" + SUITE + "-root.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            lock.lock(); // released when the channel closes
            return pristineLocked(buildDir);
        }
    }

    private static Path pristineLocked(Path buildDir) throws Exception {
        Path root = buildDir.resolve("debian-" + SUITE + "-root");
        Path marker = buildDir.resolve("debian-" + SUITE + "-root.complete");
        String wanted = "minbase+" + String.join(",", DebootstrapRoot.PACKAGES) + " then apt-get "
                + String.join(",", PACKAGES) + "\n";
        if (Files.isRegularFile(marker) && Files.readString(marker).equals(wanted) && Files.isDirectory(root)) {
            return root;
        }
        Files.deleteIfExists(marker);
        if (Files.exists(root)) {
            run(List.of("rm", "-rf", "--one-file-system", root.toString()), Duration.ofMinutes(2));
        }
        Files.createDirectories(buildDir);
        DebootstrapRoot base = DebootstrapRoot.copyTo(root);
        Files.writeString(root.resolve("etc/apt/sources.list"), "deb " + MIRROR + " " + SUITE + " main\n");
        if (Files.isRegularFile(Path.of("/etc/resolv.conf"))) {
            // This machine's name servers now (the cached minbase root has those of its debootstrap).
            Files.copy(Path.of("/etc/resolv.conf"), root.resolve("etc/resolv.conf"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Command.Result apt = base.inRoot("export DEBIAN_FRONTEND=noninteractive && apt-get update -q"
                + " && apt-get install -y -q --no-install-recommends " + String.join(" ", PACKAGES)
                + " && apt-get clean && rm -rf /var/lib/apt/lists/*", 900);
        assertThat(apt.exitCode()).as("apt-get install " + String.join(" ", PACKAGES) + ": " + tail(apt.describe()))
                .isZero();
        Files.writeString(root.resolve("etc/hostname"), "castellan-systemd-it\n");
        Files.writeString(marker, wanted);
        return root;
    }

    private static void run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        Command.Result result = Command.run(command, Map.of(), timeout);
        assertThat(result.exitCode()).as(String.join(" ", command) + ": " + tail(result.describe())).isZero();
    }

    static String tail(String text) {
        return text.length() > 6000 ? "…" + text.substring(text.length() - 6000) : text;
    }
}
