package org.castellan.cli.config;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Consumer;
import org.castellan.cli.CliException;
import org.castellan.protocol.Secret;

/**
 * Reads an API token from a file or standard input, so it never has to be a process argument
 * (promise 5). Only the first line counts; surrounding whitespace is dropped.
 */
final class TokenReader {
    private static final int MAX_TOKEN_BYTES = 16 * 1024;

    private TokenReader() {}

    static Secret fromStdin(InputStream stdin) {
        try {
            return firstLine(readLimited(stdin), "standard input");
        } catch (IOException e) {
            throw new CliException(CliException.FAILED, "cannot read token from standard input: " + e.getMessage(), e);
        }
    }

    static Secret fromFile(Path file, Consumer<String> warn) {
        Set<PosixFilePermission> permissions = Files.isRegularFile(file) ? ConfigFile.FilePermissions.posixOrNull(file) : null;
        if (permissions != null && ConfigFile.FilePermissions.othersCanRead(permissions)) {
            warn.accept("token file " + file + " is readable by group or others; run: chmod 600 " + file);
        }
        try (InputStream in = Files.newInputStream(file)) {
            return firstLine(readLimited(in), "token file " + file);
        } catch (IOException e) {
            throw new CliException(CliException.FAILED, "cannot read token file " + file + ": " + e, e);
        }
    }

    private static byte[] readLimited(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        byte[] chunk = new byte[1024];
        int read;
        while ((read = in.read(chunk)) != -1) {
            buffer.write(chunk, 0, read);
            // Stop at the first newline: stdin may stay open (a terminal) after the token line.
            if (indexOfNewline(chunk, read) >= 0 || buffer.size() > MAX_TOKEN_BYTES) {
                break;
            }
        }
        Arrays.fill(chunk, (byte) 0);
        return buffer.toByteArray();
    }

    private static int indexOfNewline(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static Secret firstLine(byte[] bytes, String source) {
        try (Secret all = Secret.fromUtf8(bytes)) {
            char[] chars = all.chars();
            int end = 0;
            while (end < chars.length && chars[end] != '\n' && chars[end] != '\r') {
                end++;
            }
            int start = 0;
            while (start < end && Character.isWhitespace(chars[start])) {
                start++;
            }
            while (end > start && Character.isWhitespace(chars[end - 1])) {
                end--;
            }
            char[] token = Arrays.copyOfRange(chars, start, end);
            Arrays.fill(chars, '\0');
            if (token.length == 0) {
                throw new CliException(CliException.FAILED, "no token in " + source);
            }
            return Secret.adopt(token);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
