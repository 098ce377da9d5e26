package org.castellan.cli.commands;

import picocli.CommandLine.Command;

/** {@code castellan registration-keys ...}: keys agents register with. */
@Command(name = "registration-keys", description = "Create, list and revoke the keys agents register with.",
        subcommands = {RegistrationKeysCreateCommand.class, RegistrationKeysListCommand.class,
                RegistrationKeysRevokeCommand.class})
public final class RegistrationKeysCommand extends CommandGroup {}
