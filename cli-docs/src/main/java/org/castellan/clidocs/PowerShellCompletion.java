package org.castellan.clidocs;

import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * PowerShell completion from the picocli model: a native argument completer offering, after the
 * subcommand words typed so far, the next subcommands and that command's options. Untested: no
 * PowerShell runs where Castellan is built.
 */
public final class PowerShellCompletion {
    private PowerShellCompletion() {}

    public static String of(String name, CommandLine root) {
        StringBuilder s = new StringBuilder("# PowerShell completion for " + name
                + ", generated from its picocli model (untested: no PowerShell where it is built).\n"
                + "# Load it with: . ./" + name + ".ps1   (e.g. from your $PROFILE)\n");
        s.append("$__castellanWords_").append(name.replace('-', '_')).append(" = @{\n");
        for (Commands.Node node : Commands.all(root)) {
            s.append("    '").append(String.join(" ", node.path())).append("' = @(");
            boolean first = true;
            for (String sub : node.subcommands()) {
                s.append(first ? "" : ", ").append(quote(sub));
                first = false;
            }
            for (OptionSpec option : node.options()) {
                s.append(first ? "" : ", ").append(quote(option.longestName()));
                first = false;
            }
            s.append(")\n");
        }
        s.append("}\n");
        s.append("Register-ArgumentCompleter -Native -CommandName '").append(name).append("' -ScriptBlock {\n")
                .append("    param($wordToComplete, $commandAst, $cursorPosition)\n")
                .append("    $words = @($commandAst.CommandElements | Select-Object -Skip 1 | ForEach-Object { $_.ToString() }"
                        + " | Where-Object { -not $_.StartsWith('-') -and $_ -ne $wordToComplete })\n")
                .append("    $key = ($words -join ' ')\n")
                .append("    $table = $__castellanWords_").append(name.replace('-', '_')).append("\n")
                .append("    while ($key -ne '' -and -not $table.ContainsKey($key)) { $key = ($key -split ' ' | Select-Object -SkipLast 1) -join ' ' }\n")
                .append("    $table[$key] | Where-Object { $_ -like \"$wordToComplete*\" } | ForEach-Object {\n")
                .append("        [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)\n")
                .append("    }\n")
                .append("}\n");
        return s.toString();
    }

    private static String quote(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
