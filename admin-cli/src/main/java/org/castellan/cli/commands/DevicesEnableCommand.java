package org.castellan.cli.commands;

import picocli.CommandLine.Command;

/** {@code castellan devices enable ID|HOSTNAME}. */
@Command(name = "enable", description = "Enable a disabled device again.")
final class DevicesEnableCommand extends DeviceStateCommand {
    @Override
    String action() {
        return "enable";
    }

    @Override
    String done() {
        return "enabled";
    }
}
