package org.castellan.cli.commands;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code castellan completion bash}: a bash (and zsh via bashcompinit) completion script, to source. */
@Command(name = "completion", mixinStandardHelpOptions = true, description = {"Print a shell completion script.",
        "Use: source <(castellan completion bash)"})
public final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SHELL", arity = "0..1", defaultValue = "bash",
            description = "Only bash is supported (zsh can load it with bashcompinit).", completionCandidates = Shells.class)
    String shell;

    static final class Shells extends java.util.ArrayList<String> {
        Shells() {
            super(java.util.List.of("bash"));
        }
    }

    @Override
    public Integer call() {
        if (!shell.equals("bash")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "unsupported shell '" + shell
                    + "': only bash is supported");
        }
        // A call builds only the verb it names (CastellanMain.commandLineFor): the script is made from every verb.
        org.castellan.cli.Host host = ((org.castellan.cli.CastellanMain) spec.root().userObject()).host();
        spec.commandLine().getOut().print(AutoComplete.bash("castellan", org.castellan.cli.CastellanMain.commandLine(host)));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
