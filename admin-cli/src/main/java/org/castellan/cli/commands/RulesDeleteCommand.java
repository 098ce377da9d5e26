package org.castellan.cli.commands;

import picocli.CommandLine.Command;

/** {@code castellan rules delete NAME|ID}. */
@Command(name = "delete", description = "Delete an access rule; the rights it granted end at once.")
final class RulesDeleteCommand extends DeleteCommand {
    @Override
    Refs.Kind kind() {
        return Refs.Kind.RULE;
    }
}
