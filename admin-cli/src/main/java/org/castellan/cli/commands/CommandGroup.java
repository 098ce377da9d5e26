package org.castellan.cli.commands;

import java.util.concurrent.Callable;
import org.castellan.cli.CliException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A resource ({@code password}, {@code devices}, ...) given without a verb: show its verbs, exit 2. */
// Help on every subcommand (-h); the root's footer is deliberately not inherited.
@Command(mixinStandardHelpOptions = true)
abstract class CommandGroup implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("castellan: " + spec.qualifiedName() + " needs a subcommand");
        spec.commandLine().usage(spec.commandLine().getErr());
        return CliException.USAGE;
    }
}
