package org.castellan.cli.commands;

import picocli.CommandLine.Command;

/** {@code castellan device-groups delete ID}. */
@Command(name = "delete", description = "Delete a device group (its devices stay registered).")
final class DeviceGroupsDeleteCommand extends DeleteCommand {
    @Override
    String path() {
        return "device-groups";
    }

    @Override
    String what() {
        return "device group";
    }
}
