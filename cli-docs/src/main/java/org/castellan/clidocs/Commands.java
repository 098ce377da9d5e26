package org.castellan.clidocs;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Walks a picocli command model: every command with the path of subcommand names that leads to it. */
public final class Commands {
    public record Node(List<String> path, CommandSpec spec) {
        public String description() {
            String[] lines = spec.usageMessage().description();
            return lines.length == 0 ? "" : lines[0].replaceAll("\\s+", " ").strip();
        }

        public List<String> subcommands() {
            return new ArrayList<>(spec.subcommands().keySet()).stream()
                    .filter(n -> spec.subcommands().get(n).getCommandSpec().name().equals(n)).toList();
        }

        public List<OptionSpec> options() {
            return spec.options().stream().filter(o -> !o.hidden()).toList();
        }
    }

    private Commands() {}

    public static List<Node> all(CommandLine root) {
        List<Node> out = new ArrayList<>();
        walk(root.getCommandSpec(), new ArrayList<>(), out);
        return out;
    }

    private static void walk(CommandSpec spec, List<String> path, List<Node> out) {
        out.add(new Node(List.copyOf(path), spec));
        for (var sub : spec.subcommands().entrySet()) {
            if (!sub.getValue().getCommandSpec().name().equals(sub.getKey())) {
                continue; // an alias
            }
            List<String> next = new ArrayList<>(path);
            next.add(sub.getKey());
            walk(sub.getValue().getCommandSpec(), next, out);
        }
    }

    public static String firstLine(String[] description) {
        return description.length == 0 ? "" : description[0].replaceAll("\\s+", " ").strip();
    }
}
