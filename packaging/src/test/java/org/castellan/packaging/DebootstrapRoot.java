package org.castellan.packaging;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * A small Debian root made with {@code debootstrap --variant=minbase} (plus passwd, for chpasswd):
 * a machine that has never seen Java. Commands run chrooted into it inside a private mount
 * namespace with /proc and /dev mounted, so nothing is left mounted behind.
 *
 * <p>debootstrap runs at most once per build: the pristine tree is kept in the build directory
 * ({@code target/debootstrap-bookworm-minbase}, beside a marker naming the suite and the package
 * list, so changing the list makes a new one), shared by every test class of the failsafe JVM, and
 * each {@link #create} gets its own copy ({@code cp -a --reflink=auto}), so no test sees another's
 * changes.
 */
final class DebootstrapRoot {
    static final String SUITE = "bookworm";
    static final String MIRROR = "http://deb.debian.org/debian";

    private final Path root;

    private DebootstrapRoot(Path root) {
        this.root = root;
    }

    static String whyUnavailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "debootstrap and chroot need root";
        }
        for (String tool : List.of("debootstrap", "unshare", "chroot", "rpm")) {
            if (!Command.available(tool)) {
                return tool + " is not installed";
            }
        }
        return null;
    }

    /** What minbase lacks and the tests need: passwd (useradd, chpasswd). */
    static final List<String> PACKAGES = List.of("passwd");

    /** A fresh copy of the pristine root as {@code dir/root}, debootstrapping the pristine one first if needed. */
    static DebootstrapRoot create(Path dir) throws IOException, InterruptedException {
        return copyTo(dir.resolve("root"));
    }

    /** A fresh copy of the pristine root at {@code root} (replacing what is there), debootstrapping it first if needed. */
    static DebootstrapRoot copyTo(Path root) throws IOException, InterruptedException {
        Path pristine = pristine(Path.of(System.getProperty("castellan.jars", "target")).toAbsolutePath());
        Path dir = root.toAbsolutePath().getParent();
        if (Files.exists(root)) {
            run(List.of("rm", "-rf", "--one-file-system", root.toString()), 120);
        }
        Files.createDirectories(dir);
        run(List.of("cp", "-a", "--reflink=auto", pristine.toString(), root.toString()), 300);
        return new DebootstrapRoot(root);
    }

    private static synchronized Path pristine(Path buildDir) throws IOException, InterruptedException {
        Files.createDirectories(buildDir);
        // Also one at a time across JVMs (failsafe forks) sharing the build directory.
        try (FileChannel lock = FileChannel.open(buildDir.resolve("debootstrap-" + SUITE + "-minbase.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            lock.lock(); // released when the channel closes
            return pristineLocked(buildDir);
        }
    }

    private static Path pristineLocked(Path buildDir) throws IOException, InterruptedException {
        Path root = buildDir.resolve("debootstrap-" + SUITE + "-minbase");
        Path marker = buildDir.resolve("debootstrap-" + SUITE + "-minbase.complete");
        String wanted = SUITE + " minbase " + String.join(",", PACKAGES) + "\n";
        if (Files.isRegularFile(marker) && Files.readString(marker).equals(wanted) && Files.isDirectory(root)) {
            return root;
        }
        Files.deleteIfExists(marker);
        if (Files.exists(root)) {
            run(List.of("rm", "-rf", "--one-file-system", root.toString()), 120);
        }
        Files.createDirectories(buildDir);
        run(List.of("debootstrap", "--variant=minbase", "--include=" + String.join(",", PACKAGES), SUITE,
                root.toString(), MIRROR), 900);
        // The downloaded .debs (installed already) would only make every copy bigger.
        run(List.of("find", root.resolve("var/cache/apt/archives").toString(), "-maxdepth", "1", "-name", "*.deb",
                "-delete"), 60);
        Files.writeString(marker, wanted);
        return root;
    }

    private static void run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Command.Result result = Command.run(command, Map.of(), timeoutSeconds);
        if (result.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + DebianRoot.tail(result.describe()));
        }
    }

    Path path() {
        return root;
    }

    /** Runs {@code shell} on the host, in a private mount namespace where the root has /proc and /dev. */
    Command.Result onHost(String shell, int timeoutSeconds) throws IOException, InterruptedException {
        String enter = String.join("\n",
                "set -e",
                "mount --rbind /proc \"$0/proc\"",
                "mount --rbind /dev \"$0/dev\"",
                "cd /",
                "eval \"$1\"");
        return Command.run(List.of("unshare", "-m", "sh", "-c", enter, root.toString(), shell), Map.of(), timeoutSeconds);
    }

    /** Runs {@code shell} chrooted into the root. */
    Command.Result inRoot(String shell, int timeoutSeconds) throws IOException, InterruptedException {
        return onHost("chroot \"$0\" /bin/sh -c '" + shell.replace("'", "'\\''") + "'", timeoutSeconds);
    }

    boolean exists(String path) {
        return Files.exists(root.resolve(path.substring(1)), java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }
}
