package org.castellan.cli.commands;

import picocli.CommandLine.Command;

/** {@code castellan rules ...}: who may do what on which devices. */
@Command(name = "rules", description = "Manage access rules: which users or user groups get which permissions on which devices.",
        subcommands = {RulesCreateCommand.class, RulesListCommand.class, RulesShowCommand.class, RulesDeleteCommand.class})
public final class RulesCommand extends CommandGroup {}
