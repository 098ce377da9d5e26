package org.castellan.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The one gate for tests that need something of the machine (a Debian package, root, a mount
 * namespace). On a developer's machine a missing prerequisite skips the test with a message that
 * says how to get it; under CI ({@code CI=true}, as {@code .ci/run} sets it) the same absence fails
 * the test, so a CI run can never pass by skipping what it was meant to prove.
 */
public final class Prerequisite {
    private Prerequisite() {}

    /** True when running under CI, where a skip is a failure. */
    public static boolean underCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * Skips (or, under CI, fails) unless {@code present}.
     *
     * @param what what is missing, e.g. "chromium and chromedriver"
     * @param howToInstall the fix, e.g. "apt-get install -y chromium chromium-driver"
     */
    public static void require(boolean present, String what, String howToInstall) {
        if (present) {
            return;
        }
        String message = what + " is not available here; " + howToInstall
                + " (bin/run-tests installs it on Debian when run as root)";
        if (underCi()) {
            Assertions.fail("CI=true: a test may not skip: " + message);
        }
        Assumptions.abort(message);
    }

    /** Skips (or fails under CI) with {@code whyNot} when it is non-null: for probes that explain themselves. */
    public static void requireNoReason(String whyNot, String howToFix) {
        require(whyNot == null, whyNot == null ? "" : whyNot, howToFix);
    }

    /** Requires an executable file, e.g. {@code /usr/sbin/cryptsetup}, naming the Debian package that has it. */
    public static void requireExecutable(String path, String debianPackage) {
        require(Files.isExecutable(Path.of(path)), path, "apt-get install -y " + debianPackage);
    }

    /** Requires a command on the PATH, naming the Debian package that has it. */
    public static void requireCommand(String command, String debianPackage) {
        require(onPath(command), command, "apt-get install -y " + debianPackage);
    }

    public static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /** Requires root (user id 0), e.g. for mount namespaces or dpkg into a throwaway root. */
    public static void requireRoot(String why) {
        require(isRoot(), "root (" + why + ")", "run the tests as root, e.g. sudo bin/run-tests");
    }

    public static boolean isRoot() {
        try {
            Process p = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            return p.waitFor() == 0 && out.equals("0");
        } catch (Exception e) {
            return false;
        }
    }
}
