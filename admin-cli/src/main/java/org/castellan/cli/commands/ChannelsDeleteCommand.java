package org.castellan.cli.commands;

import picocli.CommandLine.Command;

/** {@code castellan channels delete NAME|ID}. */
@Command(name = "delete", description = "Delete a notification channel.")
final class ChannelsDeleteCommand extends DeleteCommand {
    @Override
    Refs.Kind kind() {
        return Refs.Kind.CHANNEL;
    }
}
