package org.castellan.agent.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --state-dir} option shared by every command. */
public final class StateDirOption {
    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Agent state directory (env CASTELLAN_STATE_DIR; default: the platform's, "
                    + "e.g. /var/lib/castellan-agent).")
    Path stateDir;
}
