package org.castellan.cli.commands;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code castellan reports stale [--days N]}: devices not seen for N days, longest silent first. */
@Command(name = "stale", description = "Devices not seen for N days (default 30), longest silent first; a device"
        + " that never checked in counts from its registration.")
final class ReportsStaleCommand extends ReportListCommand {
    @Option(names = "--days", paramLabel = "N", description = "Silent for more than N days, 1 to 3650 (default 30).")
    Integer days;

    @Override
    protected Integer days() {
        return days;
    }

    @Override
    protected String slug() {
        return "stale-devices";
    }

    @Override
    protected String atHeading() {
        return "LAST CONTACT";
    }

    @Override
    protected String detailHeading() {
        return "DETAIL";
    }
}
