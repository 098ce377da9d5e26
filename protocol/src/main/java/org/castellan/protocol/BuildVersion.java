package org.castellan.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The one version string of {@code castellan}, {@code castellan-agent} and {@code castellan-server}:
 * the project version and the commit it was built from, e.g. {@code 0.1.0-SNAPSHOT (commit 12f9307a1b2c)},
 * written into this module by the build.
 */
public final class BuildVersion {
    private BuildVersion() {}

    /** The project version alone (what an agent reports to the server). */
    public static String version() {
        return parts()[0];
    }

    /** The commit, {@code …-dirty} when built with uncommitted changes, or {@code unknown}. */
    public static String commit() {
        return parts()[1];
    }

    /** {@code NAME VERSION (commit COMMIT)}, for {@code --version}. */
    public static String line(String program) {
        return program + " " + version() + " (commit " + commit() + ")";
    }

    private static String[] parts() {
        try (InputStream in = BuildVersion.class.getResourceAsStream("build-version")) {
            if (in != null) {
                String[] parts = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip().split(" ", 2);
                if (parts.length == 2) {
                    return parts;
                }
            }
        } catch (IOException e) {
            // fall through: a build without the file
        }
        return new String[] {"unknown", "unknown"};
    }
}
