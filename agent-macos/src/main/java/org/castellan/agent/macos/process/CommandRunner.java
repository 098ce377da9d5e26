package org.castellan.agent.macos.process;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs one external program. The only way agent-macos touches the OS tools, so that tests can run
 * the real implementation against fake executables.
 *
 * <p>Secrets go in {@code stdin}, never in {@code argv}: any local user can read another process's
 * arguments with {@code ps}.
 */
public interface CommandRunner {
    Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /**
     * @param argv program path and arguments; never a secret
     * @param stdin bytes written to the program's standard input, then closed; the caller wipes them
     * @param env extra environment variables
     * @throws CommandException when the program cannot be started or does not finish in time
     */
    CommandResult run(List<String> argv, byte[] stdin, Map<String, String> env, Duration timeout)
            throws CommandException;

    default CommandResult run(List<String> argv) throws CommandException {
        return run(argv, new byte[0], Map.of(), DEFAULT_TIMEOUT);
    }

    default CommandResult run(List<String> argv, byte[] stdin) throws CommandException {
        return run(argv, stdin, Map.of(), DEFAULT_TIMEOUT);
    }
}
