package org.castellan.agent.cli;

import java.nio.file.Path;

/**
 * {@code castellan-agent check-in [--state-dir DIR] [--if-due]}, what the timer runs four times an
 * hour, parsed without picocli: picocli builds its command model by reflection at every start,
 * over class files compiled for Java 5 that a Java 17 dynamic class-data-sharing archive cannot
 * hold. Only plainly spelled command lines are taken: {@code check-in} first, then each option at
 * most once, as {@code --state-dir DIR}, {@code --state-dir=DIR} or {@code --if-due}. Anything else
 * (help, version, an unknown, repeated or misspelled option, {@code --}, an {@code @file}, an
 * empty or option-like directory, a positional) is not taken: {@link #parse} returns null and
 * picocli parses the line, so help, errors and completion stay exactly picocli's. What is taken
 * runs {@link CheckInCommand} as picocli would, with the same error line and exit code.
 */
final class CheckInFastPath {
    private CheckInFastPath() {}

    /** A command line taken: the option values picocli would have set. */
    record Parsed(Path stateDir, boolean ifDue) {}

    /** Runs {@code args} when taken; returns the exit code, or null when picocli must parse them. */
    static Integer run(AgentContext context, String[] args) {
        Parsed parsed = parse(args);
        if (parsed == null) {
            return null;
        }
        CheckInCommand command = new CheckInCommand(context);
        command.stateDir.stateDir = parsed.stateDir();
        command.ifDue = parsed.ifDue();
        try {
            return command.call();
        } catch (Exception e) {
            return AgentMain.failed(context, "check-in", e);
        }
    }

    static Parsed parse(String[] args) {
        if (args.length == 0 || !args[0].equals("check-in")) {
            return null;
        }
        String stateDir = null;
        boolean ifDue = false;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--if-due") && !ifDue) {
                ifDue = true;
            } else if (stateDir == null && arg.startsWith("--state-dir=")) {
                stateDir = arg.substring("--state-dir=".length());
            } else if (stateDir == null && arg.equals("--state-dir") && i + 1 < args.length) {
                stateDir = args[++i];
            } else {
                return null;
            }
            if (stateDir != null && (stateDir.isEmpty() || stateDir.startsWith("-") || stateDir.startsWith("@"))) {
                return null;
            }
        }
        try {
            return new Parsed(stateDir == null ? null : Path.of(stateDir), ifDue);
        } catch (java.nio.file.InvalidPathException e) {
            return null; // picocli's conversion error
        }
    }
}
