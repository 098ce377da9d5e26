package org.castellan.cli.commands;

import java.util.concurrent.Callable;
import org.castellan.cli.CastellanMain;
import org.castellan.cli.Host;
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
        validate(main.host());
        return main.runApi(spec, needsToken(), this::run);
    }

    /** Whether the command authenticates with the API token; only logging in does not. */
    protected boolean needsToken() {
        return true;
    }

    /** Refuses reading a secret from stdin when {@code --token -} already reads the token from there. */
    protected final void requireStdinFree(String flag) {
        if (((CastellanMain) spec.root().userObject()).tokenFromStdin()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), flag
                    + " and --token - both read standard input; give the token with --token-file or CASTELLAN_TOKEN");
        }
    }

    /**
     * Checks the arguments before any setting is resolved or byte is sent; throws a picocli
     * {@code ParameterException} (exit code 2) for bad ones.
     */
    protected void validate(Host host) {}

    protected abstract void run(Session session);
}
