package org.castellan.cli;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * What the CLI takes from the machine it runs on: environment, standard input, home directory,
 * clock and terminal (null when not interactive). Injected so tests run the real CLI in-process
 * without touching the real ones.
 */
public record Host(Map<String, String> environment, InputStream stdin, Path homeDirectory, Clock clock, Terminal terminal) {

    /** A host without a terminal, as when the CLI runs in a script or a pipe. */
    public Host(Map<String, String> environment, InputStream stdin, Path homeDirectory, Clock clock) {
        this(environment, stdin, homeDirectory, clock, null);
    }

    public static Host system() {
        return new Host(System.getenv(), System.in, Path.of(System.getProperty("user.home")), Clock.systemUTC(),
                Terminal.system());
    }

    /** The variable's value, or null when it is unset or blank (an empty variable means "not given"). */
    public String env(String name) {
        String value = environment.get(name);
        return value == null || value.isBlank() ? null : value;
    }

    public boolean interactive() {
        return terminal != null;
    }
}
