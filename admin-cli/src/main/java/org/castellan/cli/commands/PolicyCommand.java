package org.castellan.cli.commands;

import picocli.CommandLine.Command;

/** {@code castellan policy ...}: rotation policies ({@code default} covers every device not covered by another). */
@Command(name = "policy", description = "Show or change a rotation policy.",
        subcommands = {PolicyGetCommand.class, PolicySetCommand.class})
public final class PolicyCommand extends CommandGroup {}
