package org.castellan.cli;

import java.io.Console;
import java.lang.reflect.Method;

/**
 * The user's terminal, for prompts that must not go through stdout or stdin (a password typed
 * without echo, a yes/no before deleting). Absent when the CLI does not run interactively.
 */
public interface Terminal {
    /** Reads a line without echo; null at end of input. The caller wipes the array. */
    char[] readPassword(String prompt);

    /** Reads a line with echo; null at end of input. */
    String readLine(String prompt);

    /**
     * The process's console; when stdout is captured (no console), the controlling terminal
     * through /dev/tty; null when the CLI does not run at a terminal.
     */
    static Terminal system() {
        Console console = System.console();
        if (console == null || !isTerminal(console)) {
            return org.castellan.cli.input.TtyTerminal.openOrNull();
        }
        return new Terminal() {
            @Override
            public char[] readPassword(String prompt) {
                return console.readPassword("%s", prompt);
            }

            @Override
            public String readLine(String prompt) {
                return console.readLine("%s", prompt);
            }
        };
    }

    /**
     * From Java 22 {@code System.console()} may return a console when nothing is a terminal;
     * {@code Console.isTerminal()} (22+) tells. On 17 a non-null console is a terminal.
     */
    private static boolean isTerminal(Console console) {
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
