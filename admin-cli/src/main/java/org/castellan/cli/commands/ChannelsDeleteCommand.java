package org.castellan.cli.commands;

import picocli.CommandLine.Command;

/** {@code castellan channels delete ID}. */
@Command(name = "delete", description = "Delete a notification channel.")
final class ChannelsDeleteCommand extends DeleteCommand {
    @Override
    String path() {
        return "channels";
    }

    @Override
    String what() {
        return "channel";
    }
}
