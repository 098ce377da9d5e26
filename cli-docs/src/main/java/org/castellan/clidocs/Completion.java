package org.castellan.clidocs;

import java.util.List;
import java.util.Locale;
import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * The completion script of a picocli command model for one shell, the same text whichever binary
 * prints it or the build writes it:
 * <ul>
 *   <li>bash: picocli's {@link AutoComplete#bash}.</li>
 *   <li>zsh: that same bash script, loaded through zsh's {@code bashcompinit} (not a native zsh
 *       completion; zsh's {@code compinit} is loaded first when the shell has not).</li>
 *   <li>fish: {@link FishCompletion} (picocli has no fish generator).</li>
 *   <li>PowerShell: {@link PowerShellCompletion} (untested: no PowerShell where Castellan is built).</li>
 * </ul>
 */
public final class Completion {
    public static final List<String> SHELLS = List.of("bash", "zsh", "fish", "powershell");

    private Completion() {}

    /** The script for {@code shell} (one of {@link #SHELLS}) completing {@code name}, from {@code root}'s model. */
    public static String script(String shell, String name, CommandLine root) {
        return switch (shell) {
            case "bash" -> AutoComplete.bash(name, root);
            case "zsh" -> zsh(name, AutoComplete.bash(name, root));
            case "fish" -> FishCompletion.of(name, root);
            case "powershell" -> PowerShellCompletion.of(name, root);
            default -> throw new IllegalArgumentException("unsupported shell " + shell);
        };
    }

    /** A zsh completion file ({@code _NAME} on the fpath, or sourced) loading the bash script through bashcompinit. */
    static String zsh(String name, String bash) {
        return "#compdef " + name + "\n"
                + "# zsh loads this bash completion through bashcompinit.\n"
                + "(( $+functions[compdef] )) || { autoload -U +X compinit && compinit -D; }\n"
                + "(( $+functions[complete] )) || { autoload -U +X bashcompinit && bashcompinit; }\n" + bash;
    }

    /**
     * The shell a {@code $SHELL} value names ({@code /usr/bin/zsh} → zsh, {@code pwsh} → powershell),
     * or bash when it is unset or another shell.
     */
    public static String shellOf(String shellVariable) {
        if (shellVariable == null || shellVariable.isBlank()) {
            return "bash";
        }
        String base = shellVariable.strip();
        base = base.substring(Math.max(base.lastIndexOf('/'), base.lastIndexOf('\\')) + 1).toLowerCase(Locale.ROOT);
        if (base.endsWith(".exe")) {
            base = base.substring(0, base.length() - 4);
        }
        return switch (base) {
            case "zsh", "fish" -> base;
            case "pwsh", "powershell" -> "powershell";
            default -> "bash";
        };
    }
}
