package org.castellan.clidocs;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * fish completion from the picocli model (picocli has no fish generator): subcommands where they
 * may come, then each command's options, with their descriptions and, for options with a fixed
 * set of values, those values.
 */
public final class FishCompletion {
    private FishCompletion() {}

    public static String of(String name, CommandLine root) {
        StringBuilder s = new StringBuilder("# fish completion for " + name + ", generated from its picocli model.\n");
        String fn = "__" + name.replace('-', '_') + "_at";
        // "fn exact|prefix WORD...": the words typed so far that do not start with - are exactly
        // (subcommands are offered) or begin with (options are offered) the command path WORD...
        s.append("function ").append(fn).append("\n")
                .append("    set -l mode $argv[1]\n")
                .append("    set -e argv[1]\n")
                .append("    set -l words (commandline -opc)\n")
                .append("    set -e words[1]\n")
                .append("    set -l path\n")
                .append("    for w in $words\n")
                .append("        string match -q -- '-*' $w; and continue\n")
                .append("        set path $path $w\n")
                .append("    end\n")
                .append("    set -l n (count $argv)\n")
                .append("    if test $mode = exact; and test (count $path) -ne $n\n")
                .append("        return 1\n")
                .append("    end\n")
                .append("    test $n -eq 0; and return 0\n")
                .append("    test (count $path) -ge $n; or return 1\n")
                .append("    test \"$path[1..$n]\" = \"$argv\"\n")
                .append("end\n");
        s.append("complete -c ").append(name).append(" -f\n");
        for (Commands.Node node : Commands.all(root)) {
            String words = node.path().isEmpty() ? "" : " " + String.join(" ", node.path());
            String at = "'" + fn + " exact" + words + "'";
            String under = "'" + fn + " prefix" + words + "'";
            for (String sub : node.subcommands()) {
                CommandLine child = node.spec().subcommands().get(sub);
                s.append("complete -c ").append(name).append(" -n ").append(at).append(" -a ").append(quote(sub))
                        .append(" -d ").append(quote(Commands.firstLine(child.getCommandSpec().usageMessage().description())))
                        .append('\n');
            }
            for (OptionSpec option : node.options()) {
                s.append("complete -c ").append(name).append(" -n ").append(under);
                for (String n : option.names()) {
                    if (n.startsWith("--")) {
                        s.append(" -l ").append(n.substring(2));
                    } else if (n.startsWith("-") && n.length() == 2) {
                        s.append(" -s ").append(n.substring(1));
                    }
                }
                if (option.arity().max() > 0) {
                    s.append(" -r");
                    Iterable<String> values = option.completionCandidates();
                    if (values != null) {
                        s.append(" -a ").append(quote(String.join(" ", List.copyOf(toList(values)))));
                    }
                }
                s.append(" -d ").append(quote(Commands.firstLine(option.description()))).append('\n');
            }
        }
        return s.toString();
    }

    private static List<String> toList(Iterable<String> values) {
        List<String> out = new java.util.ArrayList<>();
        values.forEach(out::add);
        return out;
    }

    static String quote(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
