package org.castellan.cli.commands;

import picocli.CommandLine.Command;

/** {@code castellan channels ...}: where rules send notifications of reads. */
@Command(name = "channels", description = "Manage notification channels (webhooks told of password reads).",
        subcommands = {ChannelsCreateCommand.class, ChannelsListCommand.class, ChannelsDeleteCommand.class})
public final class ChannelsCommand extends CommandGroup {}
