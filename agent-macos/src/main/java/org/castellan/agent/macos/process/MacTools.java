package org.castellan.agent.macos.process;

import java.nio.file.Path;

/**
 * Absolute paths of the macOS tools the agent runs. Absolute so that a PATH planted by someone else
 * cannot substitute a tool that would receive the password on its stdin; configurable so that tests
 * can point them at fakes.
 */
public record MacTools(
        String dscl,
        String dseditgroup,
        String sysadminctl,
        String launchctl,
        String swVers,
        String scutil,
        String fdesetup,
        String ioreg) {

    public static MacTools defaults() {
        return new MacTools(
                "/usr/bin/dscl",
                "/usr/sbin/dseditgroup",
                "/usr/sbin/sysadminctl",
                "/bin/launchctl",
                "/usr/bin/sw_vers",
                "/usr/sbin/scutil",
                "/usr/bin/fdesetup",
                "/usr/sbin/ioreg");
    }

    /** Every tool taken from one directory, by its plain name (used by tests with fake tools). */
    public static MacTools in(Path dir) {
        return new MacTools(
                dir.resolve("dscl").toString(),
                dir.resolve("dseditgroup").toString(),
                dir.resolve("sysadminctl").toString(),
                dir.resolve("launchctl").toString(),
                dir.resolve("sw_vers").toString(),
                dir.resolve("scutil").toString(),
                dir.resolve("fdesetup").toString(),
                dir.resolve("ioreg").toString());
    }
}
