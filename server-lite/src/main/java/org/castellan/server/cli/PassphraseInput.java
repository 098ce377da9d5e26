package org.castellan.server.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.castellan.protocol.files.PrivateFiles;

/**
 * The recovery passphrase: the first line of {@code --passphrase-file} (which must be private to
 * its owner) or of standard input; never an argument, never echoed, cleared after use.
 */
final class PassphraseInput {
    static final int MIN_LENGTH = 12;

    private PassphraseInput() {}

    /** @throws IllegalArgumentException with the operator's message */
    static byte[] read(Path file, InputStream stdin, boolean creating) throws IOException {
        byte[] line;
        if (file != null) {
            List<PrivateFiles.Problem> problems = PrivateFiles.check(List.of(file));
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(PrivateFiles.describe("the passphrase file", problems));
            }
            byte[] all = Files.readAllBytes(file);
            try {
                line = firstLine(new java.io.ByteArrayInputStream(all));
            } finally {
                Arrays.fill(all, (byte) 0);
            }
        } else if (System.console() != null && stdin == System.in) {
            line = prompt(creating);
        } else {
            line = firstLine(stdin);
        }
        int chars = new String(line, StandardCharsets.UTF_8).codePointCount(0, new String(line, StandardCharsets.UTF_8).length());
        if (chars == 0) {
            throw new IllegalArgumentException("no recovery passphrase: give it on standard input or in --passphrase-file");
        }
        if (creating && chars < MIN_LENGTH) {
            Arrays.fill(line, (byte) 0);
            throw new IllegalArgumentException("the recovery passphrase must be at least " + MIN_LENGTH
                    + " characters (a few random words are best)");
        }
        return line;
    }

    /** At a terminal: asked without echo, twice when a new backup is sealed with it. */
    private static byte[] prompt(boolean creating) {
        char[] first = System.console().readPassword("Recovery passphrase: ");
        if (first == null) {
            return new byte[0];
        }
        try {
            if (creating) {
                char[] again = System.console().readPassword("Same passphrase again: ");
                boolean same = again != null && Arrays.equals(first, again);
                if (again != null) {
                    Arrays.fill(again, ' ');
                }
                if (!same) {
                    throw new IllegalArgumentException("the two passphrases differ");
                }
            }
            java.nio.ByteBuffer bytes = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(first));
            byte[] out = new byte[bytes.remaining()];
            bytes.get(out);
            if (bytes.hasArray()) {
                Arrays.fill(bytes.array(), (byte) 0);
            }
            return out;
        } finally {
            Arrays.fill(first, ' ');
        }
    }

    private static byte[] firstLine(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            out.write(b);
            if (out.size() > 4096) {
                throw new IllegalArgumentException("the recovery passphrase is longer than 4096 bytes");
            }
        }
        byte[] bytes = out.toByteArray();
        int length = bytes.length;
        if (length > 0 && bytes[length - 1] == '\r') {
            length--;
        }
        byte[] line = Arrays.copyOf(bytes, length);
        Arrays.fill(bytes, (byte) 0);
        return line;
    }
}
