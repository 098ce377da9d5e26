package org.castellan.agent.spi;

import java.nio.file.Path;
import java.util.List;

/**
 * What a service definition must run.
 *
 * @param command the full command line of {@code castellan-agent run --state-dir DIR}: java
 *     executable, its options, the agent jar and arguments (never a secret)
 * @param stateDir the agent's state directory
 */
public record ServiceSpec(List<String> command, Path stateDir) {
    public static final String SERVICE_NAME = "castellan-agent";
}
