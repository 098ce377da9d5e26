package org.castellan.cli.commands;

import java.util.concurrent.Callable;
import org.castellan.cli.CastellanMain;
import org.castellan.cli.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that talks to the server: resolves settings, connects, and maps errors via {@link CastellanMain}. */
// Help on every subcommand (-h); the root's footer is deliberately not inherited.
@Command(mixinStandardHelpOptions = true)
abstract class ApiCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        CastellanMain main = (CastellanMain) spec.root().userObject();
        return main.runApi(spec, this::run);
    }

    protected abstract void run(Session session);
}
