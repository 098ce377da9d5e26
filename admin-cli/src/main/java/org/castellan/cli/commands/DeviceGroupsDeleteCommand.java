package org.castellan.cli.commands;

import picocli.CommandLine.Command;

/** {@code castellan device-groups delete NAME|ID}. */
@Command(name = "delete", description = "Delete a device group (its devices stay registered).")
final class DeviceGroupsDeleteCommand extends DeleteCommand {
    @Override
    Refs.Kind kind() {
        return Refs.Kind.DEVICE_GROUP;
    }
}
