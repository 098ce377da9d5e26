package org.castellan.cli.commands;

import picocli.CommandLine.Command;

/** {@code castellan groups delete NAME|ID}. */
@Command(name = "delete", description = "Delete a user group.")
final class GroupsDeleteCommand extends DeleteCommand {
    @Override
    Refs.Kind kind() {
        return Refs.Kind.USER_GROUP;
    }
}
