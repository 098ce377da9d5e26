package org.castellan.cli.commands;

import picocli.CommandLine.Command;

/** {@code castellan users disable ID}: the user's tokens and sessions stop working at once. */
@Command(name = "disable", description = "Disable a user; their tokens stop working.")
final class UsersDisableCommand extends UserStateCommand {
    @Override
    String action() {
        return "disable";
    }
}
