package org.castellan.cli.commands;

import picocli.CommandLine.Command;

/** {@code castellan recovery-key ...}: escrowed disk-encryption recovery keys (BitLocker). */
@Command(name = "recovery-key", description = "Read escrowed disk-encryption recovery keys.",
        subcommands = {RecoveryKeyGetCommand.class})
public final class RecoveryKeyCommand extends CommandGroup {}
