package org.castellan.cli.commands;

import picocli.CommandLine.Command;

/** {@code castellan device-groups ...}: devices grouped by hand or by host name and OS. */
@Command(name = "device-groups", description = "Manage device groups: listed devices plus devices matching a host name"
        + " pattern and OS; rules target them and policies attach to them.",
        subcommands = {DeviceGroupsCreateCommand.class, DeviceGroupsListCommand.class, DeviceGroupsShowCommand.class,
                DeviceGroupsMembersCommand.class, DeviceGroupsUpdateCommand.class, DeviceGroupsDeleteCommand.class})
public final class DeviceGroupsCommand extends CommandGroup {}
