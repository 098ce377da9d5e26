package org.castellan.cli.commands;

import picocli.CommandLine.Command;

/** {@code castellan password ...}: a device's local admin password. */
@Command(name = "password", description = "Read, list or rotate a device's local admin password.",
        subcommands = {PasswordGetCommand.class, PasswordHistoryCommand.class, PasswordRotateCommand.class})
public final class PasswordCommand extends CommandGroup {}
