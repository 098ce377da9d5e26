package org.castellan.cli.commands;

import picocli.CommandLine.Command;

/** {@code castellan users enable ID}. */
@Command(name = "enable", description = "Enable a disabled user again.")
final class UsersEnableCommand extends UserStateCommand {
    @Override
    String action() {
        return "enable";
    }
}
