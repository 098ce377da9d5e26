package org.castellan.cli.commands;

import picocli.CommandLine.Command;

/** {@code castellan reports missing-recovery-keys}: encrypted volumes the agent reported without an escrowed key. */
@Command(name = "missing-recovery-keys", description = "Devices with an encrypted volume whose recovery key is not"
        + " escrowed (as their agent last reported), in device id order.")
final class ReportsMissingRecoveryKeysCommand extends ReportListCommand {
    @Override
    protected String slug() {
        return "unprotected-volumes";
    }

    @Override
    protected String atHeading() {
        return "REPORTED";
    }

    @Override
    protected String detailHeading() {
        return "VOLUMES";
    }
}
