package org.castellan.agent.macos;

import java.util.List;
import org.castellan.agent.macos.parse.FileVaultStatus;
import org.castellan.agent.macos.parse.UnexpectedOutputException;
import org.castellan.agent.macos.process.CommandException;
import org.castellan.agent.macos.process.CommandResult;
import org.castellan.agent.macos.process.CommandRunner;
import org.castellan.agent.macos.process.MacTools;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.spi.RecoveryKeySource;

/**
 * FileVault: reports whether the boot volume is encrypted. macOS never shows an existing personal
 * recovery key, so an encrypted volume is reported as unprotected until a key is escrowed.
 */
final class FileVaultRecoveryKeys implements RecoveryKeySource {
    static final String BOOT_VOLUME = "/";

    private final CommandRunner runner;
    private final MacTools tools;

    FileVaultRecoveryKeys(CommandRunner runner, MacTools tools) {
        this.runner = runner;
        this.tools = tools;
    }

    @Override
    public RecoveryKeyScan scan() throws PlatformException {
        CommandResult status;
        try {
            status = runner.run(List.of(tools.fdesetup(), "status"));
        } catch (CommandException e) {
            throw new PlatformException("recovery-key-scan-failed", "fdesetup status: " + e.getMessage(), e);
        }
        try {
            if (FileVaultStatus.parse(status.combinedOutput()) == FileVaultStatus.OFF) {
                return new RecoveryKeyScan(List.of(), List.of());
            }
        } catch (UnexpectedOutputException e) {
            throw new PlatformException("recovery-key-scan-failed", e.getMessage(), e);
        }
        return new RecoveryKeyScan(List.of(), List.of(BOOT_VOLUME));
    }
}
