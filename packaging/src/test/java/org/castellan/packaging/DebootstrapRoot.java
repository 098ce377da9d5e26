package org.castellan.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A small Debian root made with {@code debootstrap --variant=minbase} (plus passwd, for chpasswd):
 * a machine that has never seen Java. Commands run chrooted into it inside a private mount
 * namespace with /proc and /dev mounted, so nothing is left mounted behind.
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

    static DebootstrapRoot create(Path dir) throws IOException, InterruptedException {
        Path root = dir.resolve("root");
        Command.Result result = Command.run(List.of("debootstrap", "--variant=minbase", "--include=passwd",
                SUITE, root.toString(), MIRROR), Map.of(), 900);
        if (result.exitCode() != 0) {
            throw new AssertionError("debootstrap " + SUITE + " failed: " + result.describe());
        }
        return new DebootstrapRoot(root);
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
