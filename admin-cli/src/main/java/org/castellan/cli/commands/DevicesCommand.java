package org.castellan.cli.commands;

import picocli.CommandLine.Command;

/** {@code castellan devices ...}: registered devices. */
@Command(name = "devices", description = "List, show, approve, disable, enable, delete and purge registered devices.",
        subcommands = {DevicesListCommand.class, DevicesShowCommand.class, DevicesApproveCommand.class,
                DevicesDisableCommand.class, DevicesEnableCommand.class, DevicesDeleteCommand.class,
                DevicesPurgeCommand.class})
public final class DevicesCommand extends CommandGroup {}
