package org.castellan.cli.commands;

import picocli.CommandLine.Command;

/** {@code castellan reports overdue}: committed passwords past their expiry, oldest expiry first. */
@Command(name = "overdue", description = "Rotations overdue: devices whose current password expired and was not"
        + " rotated, oldest expiry first.")
final class ReportsOverdueCommand extends ReportListCommand {
    @Override
    protected String slug() {
        return "overdue-rotations";
    }

    @Override
    protected String atHeading() {
        return "EXPIRED";
    }

    @Override
    protected String detailHeading() {
        return "ACCOUNT";
    }
}
