package org.castellan.cli.commands;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code castellan reports failing [--days N]}: devices whose latest rotation attempt in N days failed. */
@Command(name = "failing", description = "Rotations failing: devices whose latest rotation attempt of the last N days"
        + " (default 7) was aborted and not followed by a success, newest failure first.")
final class ReportsFailingCommand extends ReportListCommand {
    @Option(names = "--days", paramLabel = "N", description = "Look back N days, 1 to 3650 (default 7).")
    Integer days;

    @Override
    protected Integer days() {
        return days;
    }

    @Override
    protected String slug() {
        return "failing-rotations";
    }

    @Override
    protected String atHeading() {
        return "FAILED";
    }

    @Override
    protected String detailHeading() {
        return "PROBLEM";
    }
}
