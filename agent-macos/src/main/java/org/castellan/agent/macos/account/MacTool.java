package org.castellan.agent.macos.account;

import java.util.Arrays;
import java.util.List;
import org.castellan.agent.macos.parse.DsclErrors;
import org.castellan.agent.macos.process.CommandException;
import org.castellan.agent.macos.process.CommandResult;
import org.castellan.agent.macos.process.CommandRunner;
import org.castellan.agent.macos.process.MacTools;
import org.castellan.agent.spi.PlatformException;
import org.castellan.protocol.Secret;

/** The account tools as calls, each turning "could not run" into a {@link PlatformException}. */
final class MacTool {
    private final CommandRunner runner;
    private final MacTools tools;

    MacTool(CommandRunner runner, MacTools tools) {
        this.runner = runner;
        this.tools = tools;
    }

    MacTools paths() {
        return tools;
    }

    CommandResult run(String code, String what, String... argv) throws PlatformException {
        try {
            return runner.run(List.of(argv));
        } catch (CommandException e) {
            throw new PlatformException(code, what + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code dscl -q .} with the script on stdin and fails on any error it reports (interactive
     * dscl exits 0 even when a command failed). Wipes the script's bytes afterwards.
     */
    void dsclSession(String code, String what, DsclScript script, Secret... secretsInScript) throws PlatformException {
        byte[] stdin = script.toStdin();
        CommandResult result;
        try {
            result = runner.run(List.of(tools.dscl(), "-q", "."), stdin);
        } catch (CommandException e) {
            throw new PlatformException(code, what + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(stdin, (byte) 0);
        }
        var error = DsclErrors.firstError(result.combinedOutput());
        if (error.isPresent() || !result.succeeded()) {
            // dscl is not known to echo its input, but an error line must never carry a password.
            String reported = Redaction.redact(error.orElse("nothing"), secretsInScript);
            throw new PlatformException(code, what + ": dscl reported " + reported + " (exit " + result.exitCode() + ")");
        }
    }
}
