package org.castellan.agent.macos.parse;

/**
 * Parses {@code fdesetup status}. The first line says {@code FileVault is On.} or
 * {@code FileVault is Off.}; further lines may report encryption in progress or deferred
 * enablement. "Off, but will be enabled after the next restart" counts as off: there is no key yet.
 */
public enum FileVaultStatus {
    ON,
    OFF;

    public static FileVaultStatus parse(String output) throws UnexpectedOutputException {
        for (String line : output.split("\\R")) {
            String s = line.strip();
            if (s.startsWith("FileVault is On")) {
                return ON;
            }
            if (s.startsWith("FileVault is Off")) {
                return OFF;
            }
        }
        throw new UnexpectedOutputException("fdesetup status: " + UnexpectedOutputException.excerpt(output));
    }
}
