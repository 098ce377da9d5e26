package org.castellan.agent.config;

import org.castellan.agent.AgentException;

/** The user's flags, environment or config file are wrong or contradict each other (exit code 2). */
public class ConfigException extends AgentException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String context, Throwable cause) {
        super(context, cause);
    }
}
