package org.castellan.agent;

/** The agent's version as it reports it to the server: the build's ({@link org.castellan.protocol.BuildVersion}). */
public final class AgentVersion {
    private AgentVersion() {}

    public static String get() {
        return org.castellan.protocol.BuildVersion.version();
    }
}
