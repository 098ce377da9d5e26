package org.castellan.cli.commands;

import java.util.Arrays;
import org.castellan.cli.CliException;
import org.castellan.cli.Host;
import org.castellan.cli.Terminal;
import org.castellan.cli.input.SecretLines;
import org.castellan.protocol.Secret;

/**
 * Where a password or other secret a command sends comes from: the first line of standard input
 * ({@code --password-stdin}, {@code --secret-stdin}), else a no-echo prompt on the terminal.
 * Never a command-line value (promise 5: process arguments are visible to every user).
 */
final class SecretInput {
    private SecretInput() {}

    static Secret fromStdin(Host host, String what) {
        return SecretLines.firstLine(host.stdin(), what, "standard input", false);
    }

    /**
     * Prompts on the terminal; with {@code confirm} asks twice and refuses a mismatch.
     *
     * @param stdinFlag the flag to suggest when there is no terminal
     */
    static Secret prompt(Host host, String what, boolean confirm, String stdinFlag) {
        Terminal terminal = host.terminal();
        if (terminal == null) {
            throw new CliException(CliException.USAGE, "no terminal to ask for the " + what + " on; pipe it in with "
                    + stdinFlag);
        }
        char[] first = terminal.readPassword(capitalized(what) + ": ");
        if (first == null || first.length == 0) {
            wipe(first);
            throw new CliException(CliException.FAILED, "no " + what + " given");
        }
        if (confirm) {
            char[] second = terminal.readPassword("Repeat the " + what + ": ");
            try {
                if (second == null || !Arrays.equals(first, second)) {
                    wipe(first);
                    throw new CliException(CliException.FAILED, "the two " + what + "s do not match");
                }
            } finally {
                wipe(second);
            }
        }
        return Secret.adopt(first);
    }

    private static String capitalized(String what) {
        return Character.toUpperCase(what.charAt(0)) + what.substring(1);
    }

    private static void wipe(char[] chars) {
        if (chars != null) {
            Arrays.fill(chars, '\0');
        }
    }
}
