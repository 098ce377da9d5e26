package org.castellan.cli.commands;

import picocli.CommandLine.Command;

/** {@code castellan devices disable ID|HOSTNAME}. */
@Command(name = "disable", description = "Disable a device: its agent is refused and its secrets cannot be read until enabled.")
final class DevicesDisableCommand extends DeviceStateCommand {
    @Override
    String action() {
        return "disable";
    }

    @Override
    String done() {
        return "disabled";
    }
}
