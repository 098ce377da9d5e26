package org.castellan.agent.macos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.castellan.agent.diagnose.PosixStateDirCheck;
import org.castellan.agent.macos.parse.FileVaultStatus;
import org.castellan.agent.macos.parse.ProductVersion;
import org.castellan.agent.macos.parse.UnexpectedOutputException;
import org.castellan.agent.macos.process.CommandException;
import org.castellan.agent.macos.process.CommandResult;
import org.castellan.agent.macos.process.CommandRunner;
import org.castellan.agent.macos.process.MacTools;
import org.castellan.agent.spi.DiagnosticCheck;
import org.castellan.agent.spi.MachineIdentity;

/**
 * macOS's part of {@code diagnose}: dscl, dseditgroup, sysadminctl, fdesetup and launchctl are
 * there (they ship with the OS, so its version is theirs), FileVault's state, the hardware UUID,
 * and the state directory's modes. Nothing is changed and no password is used.
 */
final class MacDiagnostics {
    private final CommandRunner runner;
    private final MacTools tools;

    MacDiagnostics(CommandRunner runner, MacTools tools) {
        this.runner = runner;
        this.tools = tools;
    }

    List<DiagnosticCheck> checks(Path stateDir, MachineIdentity identity) {
        List<DiagnosticCheck> checks = new ArrayList<>();
        checks.add(PosixStateDirCheck.check(stateDir, "root"));
        String version = osVersion();
        for (String[] tool : new String[][] {{"dscl", tools.dscl()}, {"dseditgroup", tools.dseditgroup()},
                {"sysadminctl", tools.sysadminctl()}, {"fdesetup", tools.fdesetup()}, {"launchctl", tools.launchctl()}}) {
            checks.add(Files.isExecutable(Path.of(tool[1]))
                    ? DiagnosticCheck.ok(tool[0], tool[1] + " (ships with macOS " + version + ")")
                    : DiagnosticCheck.fail(tool[0], tool[1] + " is missing"));
        }
        checks.add(fileVault());
        checks.add(identity.sources().isEmpty()
                ? DiagnosticCheck.warn("machine-identity-sources", "ioreg shows no IOPlatformUUID")
                : DiagnosticCheck.ok("machine-identity-sources", String.join(", ", identity.sources().keySet())));
        return checks;
    }

    private String osVersion() {
        try {
            CommandResult result = runner.run(List.of(tools.swVers(), "-productVersion"));
            return result.succeeded() ? ProductVersion.parse(result.stdout()) : "(unknown version)";
        } catch (CommandException | UnexpectedOutputException e) {
            return "(unknown version)";
        }
    }

    private DiagnosticCheck fileVault() {
        try {
            CommandResult result = runner.run(List.of(tools.fdesetup(), "status"));
            if (!result.succeeded()) {
                return DiagnosticCheck.warn("filevault", "fdesetup status exited " + result.exitCode());
            }
            return DiagnosticCheck.ok("filevault", "fdesetup status: " + FileVaultStatus.parse(result.stdout()));
        } catch (CommandException | UnexpectedOutputException e) {
            return DiagnosticCheck.warn("filevault", "fdesetup status: " + e.getMessage());
        }
    }
}
