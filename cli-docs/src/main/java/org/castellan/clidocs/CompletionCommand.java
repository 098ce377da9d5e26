package org.castellan.clidocs;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code completion [--shell bash|zsh|fish|powershell]}, shared by {@code castellan},
 * {@code castellan-agent} and {@code castellan-server}: prints the completion script of the root
 * command's model for that shell; without {@code --shell}, the one {@code $SHELL} names, else
 * bash. Each binary's subclass carries the {@code @Command} (with {@link #DESCRIPTION_0} to {@link #DESCRIPTION_5}) and says
 * where {@code $SHELL} comes from.
 */
public abstract class CompletionCommand implements Callable<Integer> {
    /**
     * The help text, one constant a line (annotations take constants), each short enough for
     * picocli's 80 columns with the longest root name, which picocli fills in.
     */
    public static final String DESCRIPTION_0 = "Print a shell completion script (default: the shell $SHELL names, else bash).";
    public static final String DESCRIPTION_1 = "bash: source <(${ROOT-COMMAND-NAME} completion --shell bash)";
    public static final String DESCRIPTION_2 = "zsh:  source <(${ROOT-COMMAND-NAME} completion --shell zsh)  # bashcompinit";
    public static final String DESCRIPTION_3 = "fish: ${ROOT-COMMAND-NAME} completion --shell fish | source";
    public static final String DESCRIPTION_4 = "PowerShell: ${ROOT-COMMAND-NAME} completion --shell powershell | Out-String | iex";
    public static final String DESCRIPTION_5 = "zsh loads the bash script through bashcompinit; PowerShell's is untested.";

    @Spec
    protected CommandSpec spec;

    @Option(names = "--shell", paramLabel = "bash|zsh|fish|powershell", completionCandidates = Shells.class,
            description = "The shell to complete in (default: from $SHELL, else bash).")
    String shellOption;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SHELL", completionCandidates = Shells.class,
            description = "The same as --shell.")
    String shellParameter;

    /** The value of {@code $SHELL} (null when unset). */
    protected abstract String shellVariable();

    /**
     * The whole command model the script completes: by default the root this command runs under;
     * a binary that builds only the named subcommand for a call gives its full model here.
     */
    protected CommandLine fullModel() {
        return spec.root().commandLine();
    }

    /** The shells offered by completion itself. */
    public static final class Shells extends java.util.ArrayList<String> {
        public Shells() {
            super(Completion.SHELLS);
        }
    }

    @Override
    public Integer call() {
        if (shellOption != null && shellParameter != null && !shellOption.equals(shellParameter)) {
            throw new ParameterException(spec.commandLine(), "--shell " + shellOption + " and " + shellParameter
                    + " disagree: give the shell once");
        }
        String shell = shellOption != null ? shellOption : shellParameter != null ? shellParameter
                : Completion.shellOf(shellVariable());
        if (!Completion.SHELLS.contains(shell)) {
            throw new ParameterException(spec.commandLine(), "unsupported shell '" + shell
                    + "': choose --shell bash, zsh, fish or powershell");
        }
        spec.commandLine().getOut().print(Completion.script(shell, spec.root().name(), fullModel()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
