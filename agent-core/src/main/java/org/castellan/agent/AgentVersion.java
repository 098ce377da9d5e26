package org.castellan.agent;

/** The agent's version, from the jar manifest when packaged. */
public final class AgentVersion {
    private AgentVersion() {}

    public static String get() {
        String version = AgentVersion.class.getPackage().getImplementationVersion();
        return version == null ? "0.1.0-dev" : version;
    }
}
