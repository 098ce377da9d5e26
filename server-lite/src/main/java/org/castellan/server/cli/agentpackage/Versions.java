package org.castellan.server.cli.agentpackage;

/** The agent's Maven version spelled as each package format wants it. */
final class Versions {
    private Versions() {}

    /** {@code 0.1.0-SNAPSHOT}, release 2 → {@code 0.1.0~SNAPSHOT-2}: a pre-release sorts before 0.1.0. */
    static String deb(String version, int release) {
        return upstream(version) + "-" + release;
    }

    /** rpm's Version field: no hyphen allowed, {@code ~} sorts before the release as in Debian. */
    static String rpm(String version) {
        return upstream(version);
    }

    /** MSI ProductVersion: numbers only, {@code major.minor.patch.release}. */
    static String msi(String version, int release) {
        String[] parts = version.replaceFirst("[-~].*$", "").split("\\.");
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            String part = i < parts.length ? parts[i].replaceAll("\\D.*$", "") : "0";
            out.append(part.isEmpty() ? "0" : part).append('.');
        }
        return out.append(release).toString();
    }

    private static String upstream(String version) {
        return version.replace('-', '~');
    }
}
