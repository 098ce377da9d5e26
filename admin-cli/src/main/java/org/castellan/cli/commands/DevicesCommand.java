package org.castellan.cli.commands;

import picocli.CommandLine.Command;

/** {@code castellan devices ...}: registered devices. */
@Command(name = "devices", description = "List and show registered devices.",
        subcommands = {DevicesListCommand.class, DevicesShowCommand.class})
public final class DevicesCommand extends CommandGroup {}
