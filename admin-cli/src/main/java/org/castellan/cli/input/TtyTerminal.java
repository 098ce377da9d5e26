package org.castellan.cli.input;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.util.Arrays;
import org.castellan.cli.CliException;
import org.castellan.cli.Terminal;
import org.castellan.protocol.Secret;

/**
 * The controlling terminal through {@code /dev/tty}, for when stdout is captured
 * ({@code token=$(castellan login --name ann)}): {@code System.console()} is then absent, yet
 * the user sits at a terminal, as ssh and sudo assume. Echo is turned off with {@code stty} for
 * passwords. Unix only; absent when the process has no controlling terminal (cron, CI).
 */
public final class TtyTerminal implements Terminal {
    private static final File TTY = new File("/dev/tty");

    private TtyTerminal() {}

    /** A terminal on /dev/tty, or null when there is none to open. */
    public static Terminal openOrNull() {
        if (!TTY.exists()) {
            return null;
        }
        try (FileInputStream probe = new FileInputStream(TTY)) {
            return new TtyTerminal();
        } catch (IOException | SecurityException noControllingTerminal) {
            return null;
        }
    }

    @Override
    public char[] readPassword(String prompt) {
        if (!stty("-echo")) {
            // Better no prompt than a password shown on screen.
            throw new CliException(CliException.FAILED, "cannot turn off echo on the terminal; pipe the secret in"
                    + " on standard input instead");
        }
        try {
            return read(prompt);
        } finally {
            stty("echo");
            write(System.lineSeparator());
        }
    }

    @Override
    public String readLine(String prompt) {
        char[] line = read(prompt);
        if (line == null) {
            return null;
        }
        try {
            return new String(line);
        } finally {
            Arrays.fill(line, '\0');
        }
    }

    private char[] read(String prompt) {
        write(prompt);
        try (InputStream in = new FileInputStream(TTY)) {
            try (Secret line = SecretLines.firstLine(in, "answer", "the terminal", false)) {
                return line.chars();
            } catch (CliException empty) {
                return new char[0];
            }
        } catch (IOException e) {
            throw new CliException(CliException.FAILED, "cannot read from the terminal: " + e.getMessage(), e);
        }
    }

    private static void write(String text) {
        try (OutputStream out = new FileOutputStream(TTY)) {
            out.write(text.getBytes(Charset.defaultCharset()));
            out.flush();
        } catch (IOException e) {
            throw new CliException(CliException.FAILED, "cannot write to the terminal: " + e.getMessage(), e);
        }
    }

    /** Runs {@code stty ARG} on the terminal; false when it could not (then the answer may echo). */
    private static boolean stty(String argument) {
        try {
            Process process = new ProcessBuilder("stty", argument).redirectInput(TTY)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
