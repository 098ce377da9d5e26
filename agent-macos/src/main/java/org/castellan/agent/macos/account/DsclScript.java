package org.castellan.agent.macos.account;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.castellan.protocol.Secret;

/**
 * Commands for {@code dscl -q .} in interactive mode, written to its stdin so that passwords never
 * appear in a process's arguments.
 *
 * <p>dscl splits each input line itself (DSTools {@code dscl_get_string}): a token that starts with
 * {@code "} or {@code '} runs to the next {@code "} or {@code '}; a backslash makes the next
 * character literal. So every argument is written double-quoted with {@code " ' \} escaped. Two
 * things cannot be written and are refused before anything runs: control characters (the input is
 * line-based), and a first character of {@code " ' \} (dscl only removes escapes after a token's
 * first character, so such a value would arrive with a stray backslash).
 *
 * <p>The buffer holds secrets: {@link #close()} wipes it.
 */
final class DsclScript implements AutoCloseable {
    /** dscl reads each line into a 4096-byte buffer; stay well below it. */
    private static final int MAX_LINE_CHARS = 1024;

    private char[] buffer = new char[256];
    private int length;

    /** Adds one command; {@code args} are plain, non-secret values such as record paths. */
    DsclScript command(String verb, String... args) {
        return command(verb, args, new Secret[0]);
    }

    /** Adds one command whose last arguments are secrets (e.g. {@code passwd PATH OLD NEW}). */
    DsclScript command(String verb, String[] args, Secret... secrets) {
        int start = length;
        append(verb.toCharArray());
        for (String arg : args) {
            appendQuoted(arg.toCharArray(), "argument");
        }
        for (Secret secret : secrets) {
            char[] chars = secret.chars();
            try {
                appendQuoted(chars, "password");
            } finally {
                Arrays.fill(chars, '\0');
            }
        }
        if (length - start > MAX_LINE_CHARS) {
            throw new IllegalArgumentException("dscl command line for " + verb + " is too long");
        }
        append('\n');
        return this;
    }

    /** The session as UTF-8 bytes, ending with {@code quit}; the caller wipes the array. */
    byte[] toStdin() {
        append("quit\n".toCharArray());
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(buffer, 0, length));
        byte[] out = new byte[bytes.remaining()];
        bytes.get(out);
        Arrays.fill(bytes.array(), (byte) 0);
        return out;
    }

    /** Whether dscl's line parser can carry this value unchanged (see the class comment). */
    static boolean canEncode(char[] value) {
        if (value.length == 0) {
            return false;
        }
        char first = value[0];
        if (first == '"' || first == '\'' || first == '\\') {
            return false;
        }
        for (char c : value) {
            if (c < 0x20 || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    private void appendQuoted(char[] value, String what) {
        if (!canEncode(value)) {
            throw new IllegalArgumentException("the " + what + " cannot be passed to dscl: it is empty, starts with"
                    + " a quote or backslash, or holds a control character");
        }
        append(' ');
        append('"');
        for (char c : value) {
            if (c == '"' || c == '\'' || c == '\\') {
                append('\\');
            }
            append(c);
        }
        append('"');
    }

    private void append(char[] chars) {
        for (char c : chars) {
            append(c);
        }
    }

    private void append(char c) {
        if (length == buffer.length) {
            char[] bigger = Arrays.copyOf(buffer, buffer.length * 2);
            Arrays.fill(buffer, '\0');
            buffer = bigger;
        }
        buffer[length++] = c;
    }

    @Override
    public void close() {
        Arrays.fill(buffer, '\0');
        length = 0;
    }
}
