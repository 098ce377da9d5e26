package org.castellan.agent.windows.service;

import java.util.List;

/**
 * Builds a Windows command line (the service's ImagePath) from an argument list so that
 * {@code CommandLineToArgvW} and the MSVC runtime (java.exe) split it back into exactly the same
 * arguments.
 *
 * <p>Rules: the program (argv[0]) is always quoted, so a path with spaces cannot be read as
 * {@code C:\Program.exe} (the "unquoted service path" hole), and may not contain a quote. Other
 * arguments are quoted when empty or containing space, tab, newline or quote; inside quotes, a
 * run of n backslashes followed by a quote becomes 2n+1 backslashes and the quote, and a run
 * before the closing quote becomes 2n; other backslashes stay as they are.
 */
public final class CommandLines {
    private CommandLines() {}

    public static String toCommandLine(List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        String program = command.get(0);
        if (program.isEmpty() || program.indexOf('"') >= 0) {
            throw new IllegalArgumentException("program path must be non-empty and contain no quote: " + program);
        }
        StringBuilder line = new StringBuilder().append('"').append(program).append('"');
        for (String argument : command.subList(1, command.size())) {
            line.append(' ');
            appendArgument(line, argument);
        }
        return line.toString();
    }

    static void appendArgument(StringBuilder line, String argument) {
        boolean needsQuotes = argument.isEmpty() || argument.chars().anyMatch(c -> c == ' ' || c == '\t'
                || c == '\n' || c == '\u000B' || c == '"');
        if (!needsQuotes) {
            line.append(argument);
            return;
        }
        line.append('"');
        int backslashes = 0;
        for (int i = 0; i < argument.length(); i++) {
            char c = argument.charAt(i);
            if (c == '\\') {
                backslashes++;
                continue;
            }
            if (c == '"') {
                line.append("\\".repeat(2 * backslashes + 1)).append('"');
            } else {
                line.append("\\".repeat(backslashes)).append(c);
            }
            backslashes = 0;
        }
        line.append("\\".repeat(2 * backslashes)).append('"');
    }
}
