package org.castellan.cli.commands;

import picocli.CommandLine.Command;

/** {@code castellan reports ...}: the fleet reports of {@code /api/v1/reports}, over the devices the caller may see. */
@Command(name = "reports", description = "Fleet reports over the devices your rules reach: stale devices, overdue or"
        + " failing rotations, passwords read and not rotated since, encrypted volumes without a recovery key, versions.",
        subcommands = {ReportsStaleCommand.class, ReportsOverdueCommand.class, ReportsFailingCommand.class,
                ReportsReadNotRotatedCommand.class, ReportsMissingRecoveryKeysCommand.class, ReportsVersionsCommand.class})
public final class ReportsCommand extends CommandGroup {}
