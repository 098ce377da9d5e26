package org.castellan.agent.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.castellan.agent.client.ServerConnector;
import org.castellan.protocol.files.PrivateFiles;
import org.castellan.agent.config.ConfigFile;
import org.castellan.agent.config.EnvVars;
import org.castellan.agent.spi.Platform;
import org.castellan.agent.spi.Platforms;
import org.castellan.agent.state.StateDir;

/**
 * Everything a command takes from the outside world, in one place so tests can supply their own
 * platform, environment, streams, clock and server.
 */
public record AgentContext(
        Supplier<Platform> platform,
        Map<String, String> env,
        InputStream stdin,
        PrintStream out,
        PrintStream err,
        Clock clock,
        SecureRandom random,
        ServerConnector connector) {

    /** The real machine: the platform found by {@link Platforms#current()}, real HTTPS. */
    public static AgentContext system() {
        Clock clock = Clock.systemUTC();
        return new AgentContext(Platforms::current, System.getenv(), System.in, System.out, System.err,
                clock, new SecureRandom(), ServerConnector.https(clock));
    }

    /**
     * {@code --state-dir}, else {@code CASTELLAN_STATE_DIR}, else the platform's default; and tells
     * the platform ({@link Platform#useStateDir}), so that platform files follow the same directory.
     * Every command with a state directory calls this first. Refuses ({@link StateDirNotPrivate}, exit 1)
     * a directory or file in it that another user owns or that group or others can read or write.
     */
    public StateDir stateDir(Path flag) {
        Path chosen;
        String fromEnv = env.get(EnvVars.STATE_DIR);
        if (flag != null) {
            chosen = flag;
        } else if (fromEnv != null && !fromEnv.isBlank()) {
            chosen = Path.of(fromEnv.strip());
        } else {
            chosen = platform.get().defaultStateDir();
        }
        StateDir dir = new StateDir(chosen);
        // Before any key or state is read: the directory and its files must be the agent's alone.
        // config.json holds no secret (an administrator may leave it readable), but nobody else may write it.
        List<PrivateFiles.Problem> problems = PrivateFiles.check(PrivateFiles.directoryAndEntries(dir.path()),
                java.util.Set.of(dir.resolve(ConfigFile.FILE)));
        if (!problems.isEmpty()) {
            throw new StateDirNotPrivate(PrivateFiles.describe("the agent's state directory", problems));
        }
        platform.get().useStateDir(dir.path());
        return dir;
    }

    /** The state directory or a file in it is not private; the message names each and its fix. */
    public static final class StateDirNotPrivate extends RuntimeException {
        StateDirNotPrivate(String message) {
            super(message);
        }
    }
}
