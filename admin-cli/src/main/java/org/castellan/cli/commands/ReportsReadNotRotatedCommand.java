package org.castellan.cli.commands;

import picocli.CommandLine.Command;

/** {@code castellan reports read-not-rotated}: current passwords someone has read, first read first. */
@Command(name = "read-not-rotated", description = "Passwords read and not yet rotated: devices whose current password"
        + " was revealed since it was set, earliest read first.")
final class ReportsReadNotRotatedCommand extends ReportListCommand {
    @Override
    protected String slug() {
        return "read-not-rotated";
    }

    @Override
    protected String atHeading() {
        return "FIRST READ";
    }

    @Override
    protected String detailHeading() {
        return "ACCOUNT";
    }
}
