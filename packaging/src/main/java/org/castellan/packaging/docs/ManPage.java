package org.castellan.packaging.docs;

import java.util.List;
import org.castellan.clidocs.Commands;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * A man page (troff, {@code man} macros) from the picocli model: NAME, SYNOPSIS, DESCRIPTION and
 * the global options, then a section per command with its synopsis, description, parameters and
 * options, then the footer (environment, exit codes) as the help shows it.
 */
final class ManPage {
    private ManPage() {}

    static String of(String name, CommandLine root) {
        CommandSpec top = root.getCommandSpec();
        StringBuilder s = new StringBuilder();
        s.append(".\\\" Generated from the picocli model of ").append(name).append("; do not edit.\n");
        s.append(".TH ").append(name.toUpperCase()).append(" 1 \"\" \"")
                .append(esc(org.castellan.protocol.BuildVersion.line(name))).append("\" \"Castellan\"\n");
        s.append(".SH NAME\n").append(esc(name)).append(" \\- ")
                .append(esc(Commands.firstLine(top.usageMessage().description()))).append('\n');
        s.append(".SH SYNOPSIS\n.B ").append(esc(name)).append("\n[\\fIOPTIONS\\fR] \\fICOMMAND\\fR ...\n");
        s.append(".SH DESCRIPTION\n");
        for (String line : top.usageMessage().description()) {
            s.append(esc(line)).append("\n.PP\n");
        }
        options(s, top.options());
        s.append(".SH COMMANDS\n");
        for (Commands.Node node : Commands.all(root)) {
            if (node.path().isEmpty()) {
                continue;
            }
            CommandSpec spec = node.spec();
            String path = name + " " + String.join(" ", node.path());
            s.append(".SS \"").append(esc(path)).append("\"\n");
            s.append(esc(synopsis(path, spec))).append("\n.PP\n");
            for (String line : spec.usageMessage().description()) {
                s.append(esc(line)).append("\n.PP\n");
            }
            for (PositionalParamSpec p : spec.positionalParameters()) {
                if (p.hidden()) {
                    continue;
                }
                s.append(".TP\n.I ").append(esc(p.paramLabel())).append('\n')
                        .append(esc(String.join(" ", p.description()))).append('\n');
            }
            List<OptionSpec> own = spec.options().stream().filter(o -> !o.hidden() && !o.inherited()).toList();
            for (OptionSpec o : own) {
                option(s, o);
            }
        }
        String[] footer = top.usageMessage().footer();
        if (footer.length > 0) {
            s.append(".SH NOTES\n");
            for (String line : footer) {
                if (!line.isBlank()) {
                    s.append(esc(line)).append("\n.PP\n");
                }
            }
        }
        s.append(".SH SEE ALSO\nThe Castellan README and docs/ (https://github.com/castellan).\n");
        return s.toString();
    }

    private static String synopsis(String path, CommandSpec spec) {
        StringBuilder s = new StringBuilder(path);
        if (!spec.options().isEmpty()) {
            s.append(" [OPTIONS]");
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (!p.hidden()) {
                s.append(' ').append(p.arity().min() == 0 ? "[" + p.paramLabel() + "]" : p.paramLabel());
            }
        }
        if (!spec.subcommands().isEmpty()) {
            s.append(" COMMAND");
        }
        return s.toString();
    }

    private static void options(StringBuilder s, List<OptionSpec> options) {
        if (options.isEmpty()) {
            return;
        }
        s.append(".SH OPTIONS\n");
        for (OptionSpec o : options) {
            if (!o.hidden()) {
                option(s, o);
            }
        }
    }

    private static void option(StringBuilder s, OptionSpec o) {
        s.append(".TP\n.B ").append(esc(String.join(", ", o.names())));
        if (o.arity().max() > 0) {
            s.append(" \\fI").append(esc(o.paramLabel())).append("\\fR");
        }
        s.append('\n').append(esc(String.join(" ", o.description()))).append('\n');
    }

    /** troff-safe text: backslashes doubled, a leading dot or quote protected, hyphens as \-. */
    static String esc(String text) {
        String t = text.replace("\\", "\\e").replace("-", "\\-");
        return t.startsWith(".") || t.startsWith("'") ? "\\&" + t : t;
    }
}
