package org.castellan.cli.commands;

import picocli.CommandLine.Command;

/** {@code castellan devices ...}: registered devices. */
@Command(name = "devices", description = "List, show, approve, disable, enable and delete registered devices.",
        subcommands = {DevicesListCommand.class, DevicesShowCommand.class, DevicesApproveCommand.class,
                DevicesDisableCommand.class, DevicesEnableCommand.class, DevicesDeleteCommand.class})
public final class DevicesCommand extends CommandGroup {}
