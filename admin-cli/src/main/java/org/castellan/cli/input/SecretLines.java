package org.castellan.cli.input;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.castellan.cli.CliException;
import org.castellan.protocol.Secret;

/**
 * Reads a secret (token, password, webhook secret) as the first line of a stream, so it never
 * has to be a process argument (promise 5). Buffers are wiped; messages never quote the value.
 */
public final class SecretLines {
    private static final int MAX_BYTES = 16 * 1024;

    private SecretLines() {}

    /**
     * The first line of {@code in}, without its line end; with {@code strip} surrounding whitespace
     * is dropped too (tokens), without it kept (a password may end in a space).
     *
     * @param what what is read, for messages ("token", "password")
     * @param source where from, for messages ("standard input", "token file x")
     */
    public static Secret firstLine(InputStream in, String what, String source, boolean strip) {
        byte[] bytes;
        try {
            bytes = readLimited(in);
        } catch (IOException e) {
            throw new CliException(CliException.FAILED, "cannot read " + what + " from " + source + ": " + e.getMessage(), e);
        }
        try (Secret all = Secret.fromUtf8(bytes)) {
            char[] chars = all.chars();
            int end = 0;
            while (end < chars.length && chars[end] != '\n' && chars[end] != '\r') {
                end++;
            }
            int start = 0;
            if (strip) {
                while (start < end && Character.isWhitespace(chars[start])) {
                    start++;
                }
                while (end > start && Character.isWhitespace(chars[end - 1])) {
                    end--;
                }
            }
            char[] line = Arrays.copyOfRange(chars, start, end);
            Arrays.fill(chars, '\0');
            if (line.length == 0) {
                throw new CliException(CliException.FAILED, "no " + what + " in " + source);
            }
            return Secret.adopt(line);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static byte[] readLimited(InputStream in) throws IOException {
        WipeableBuffer buffer = new WipeableBuffer();
        byte[] chunk = new byte[1024];
        try {
            int read;
            while ((read = in.read(chunk)) != -1) {
                buffer.write(chunk, 0, read);
                // Stop at the first newline: stdin may stay open (a terminal) after the line.
                if (indexOfNewline(chunk, read) >= 0 || buffer.size() > MAX_BYTES) {
                    break;
                }
            }
            return buffer.toByteArray();
        } finally {
            Arrays.fill(chunk, (byte) 0);
            buffer.wipe();
        }
    }

    private static int indexOfNewline(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
