package org.castellan.cli.commands;

import picocli.CommandLine.Command;

/** {@code castellan recovery-key ...}: escrowed disk-encryption recovery keys (BitLocker). */
@Command(name = "recovery-key", description = "Read escrowed disk-encryption recovery keys; purge those of removed volumes.",
        subcommands = {RecoveryKeyGetCommand.class, RecoveryKeyPurgeCommand.class})
public final class RecoveryKeyCommand extends CommandGroup {}
