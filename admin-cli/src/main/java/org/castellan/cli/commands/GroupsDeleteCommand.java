package org.castellan.cli.commands;

import picocli.CommandLine.Command;

/** {@code castellan groups delete ID}. */
@Command(name = "delete", description = "Delete a user group.")
final class GroupsDeleteCommand extends DeleteCommand {
    @Override
    String path() {
        return "user-groups";
    }

    @Override
    String what() {
        return "user group";
    }
}
