package org.castellan.cli.commands;

import picocli.CommandLine.Command;

/** {@code castellan tokens ...}: users' API tokens. */
@Command(name = "tokens", description = "Create, list and revoke users' API tokens.",
        subcommands = {TokensCreateCommand.class, TokensListCommand.class, TokensRevokeCommand.class})
public final class TokensCommand extends CommandGroup {}
