package org.castellan.cli.commands;

import picocli.CommandLine.Command;

/** {@code castellan groups ...}: user groups, which rules grant rights to. */
@Command(name = "groups", description = "Manage user groups (rules can grant rights to a whole group).",
        subcommands = {GroupsCreateCommand.class, GroupsListCommand.class, GroupsShowCommand.class,
                GroupsSetMembersCommand.class, GroupsDeleteCommand.class})
public final class GroupsCommand extends CommandGroup {}
