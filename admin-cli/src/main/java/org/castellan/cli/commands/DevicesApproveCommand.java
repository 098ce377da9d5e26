package org.castellan.cli.commands;

import picocli.CommandLine.Command;

/** {@code castellan devices approve ID|HOSTNAME}. */
@Command(name = "approve", description = "Approve a device that registered with a key requiring approval; it may then check in and escrow.")
final class DevicesApproveCommand extends DeviceStateCommand {
    @Override
    String action() {
        return "approve";
    }

    @Override
    String done() {
        return "approved";
    }
}
