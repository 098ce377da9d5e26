package org.castellan.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shell blocks of chosen sections of README.md, in order, each with the
 * {@code <!-- readme-test: KIND -->} comment that may precede it: {@code build} (skipped: the jars
 * under test are built), {@code background server} (started in the background and waited for),
 * {@code output} (sample output, not run), {@code systemd (TEST)} (needs systemd: skipped here,
 * TEST runs it), {@code stop server} (the server is stopped first). A block without a comment runs.
 */
final class ReadmeBlocks {
    enum Kind { RUN, BUILD, BACKGROUND_SERVER, OUTPUT, SYSTEMD, STOP_SERVER }

    record Block(Kind kind, String note, int line, String text) {}

    private static final Pattern MARKER = Pattern.compile("<!-- readme-test: (.+?) -->");

    private ReadmeBlocks() {}

    /** The fenced blocks under the {@code ## } headings whose titles start with one of {@code sections}. */
    static List<Block> of(String readme, List<String> sections) {
        List<Block> blocks = new ArrayList<>();
        String[] lines = readme.split("\n", -1);
        boolean inSection = false;
        String marker = null;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith("## ")) {
                String title = line.substring(3);
                inSection = sections.stream().anyMatch(title::startsWith);
                marker = null;
                continue;
            }
            if (!inSection) {
                continue;
            }
            Matcher m = MARKER.matcher(line.strip());
            if (m.matches()) {
                marker = m.group(1);
                continue;
            }
            if (line.startsWith("```")) {
                int start = i + 1;
                StringBuilder text = new StringBuilder();
                for (i = start; i < lines.length && !lines[i].startsWith("```"); i++) {
                    text.append(lines[i]).append('\n');
                }
                if (i == lines.length) {
                    throw new IllegalArgumentException("README.md line " + start + ": unclosed ``` block");
                }
                blocks.add(new Block(kind(marker, start), marker, start, text.toString()));
                marker = null;
            } else if (line.startsWith("    ") && !line.isBlank()) {
                throw new IllegalArgumentException("README.md line " + (i + 1)
                        + ": an indented code block; use a fenced ``` block, which the quick-start test runs");
            }
        }
        return blocks;
    }

    private static Kind kind(String marker, int line) {
        if (marker == null) {
            return Kind.RUN;
        }
        if (marker.startsWith("build")) {
            return Kind.BUILD;
        }
        if (marker.startsWith("systemd")) {
            return Kind.SYSTEMD;
        }
        return switch (marker) {
            case "background server" -> Kind.BACKGROUND_SERVER;
            case "output" -> Kind.OUTPUT;
            case "stop server" -> Kind.STOP_SERVER;
            default -> throw new IllegalArgumentException("README.md line " + line + ": unknown readme-test marker '" + marker + "'");
        };
    }
}
