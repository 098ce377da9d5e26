package org.castellan.cli.commands;

import picocli.CommandLine.Command;

/** {@code castellan users ...}: people (and scripts) who use the admin API. */
@Command(name = "users", description = "Create, list, show, disable and enable users; reset a lost second factor.",
        subcommands = {UsersCreateCommand.class, UsersListCommand.class, UsersShowCommand.class,
                UsersDisableCommand.class, UsersEnableCommand.class, UsersResetTotpCommand.class})
public final class UsersCommand extends CommandGroup {}
