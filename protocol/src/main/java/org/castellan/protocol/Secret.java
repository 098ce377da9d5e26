package org.castellan.protocol;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A secret value (password, recovery key) held as a char array so it can be wiped.
 *
 * <p>{@link #toString()} never reveals the value, so a secret that slips into a log line or an
 * exception message prints as {@code ***}. Callers {@link #close()} it when done.
 */
public final class Secret implements AutoCloseable {
    private final char[] value;
    private boolean cleared;

    private Secret(char[] value) {
        this.value = value;
    }

    /** Takes ownership of {@code chars}: the caller must not keep using the array. */
    public static Secret adopt(char[] chars) {
        return new Secret(chars);
    }

    /** Copies the string into a wipeable holder. Prefer {@link #adopt} where a char[] exists. */
    public static Secret of(String value) {
        return new Secret(value.toCharArray());
    }

    /** Decodes UTF-8 bytes; the caller should wipe {@code utf8} afterwards. */
    public static Secret fromUtf8(byte[] utf8) {
        CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(utf8));
        char[] copy = new char[chars.remaining()];
        chars.get(copy);
        Arrays.fill(chars.array(), '\0');
        return new Secret(copy);
    }

    /** A copy of the characters; the caller wipes it. */
    public char[] chars() {
        checkNotCleared();
        return value.clone();
    }

    /** The UTF-8 encoding in a fresh array; the caller wipes it. */
    public byte[] utf8() {
        checkNotCleared();
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(value));
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        Arrays.fill(bytes.array(), (byte) 0);
        return copy;
    }

    /**
     * The value as a String. Strings cannot be wiped, so this is only for the last hop where an
     * API insists on one (a JSON response body, a JNA wide string).
     */
    public String reveal() {
        checkNotCleared();
        return new String(value);
    }

    public int length() {
        checkNotCleared();
        return value.length;
    }

    /** Constant-time comparison, so a comparison does not leak how much of a guess was right. */
    public boolean sameAs(Secret other) {
        byte[] a = utf8();
        byte[] b = other.utf8();
        try {
            return java.security.MessageDigest.isEqual(a, b);
        } finally {
            Arrays.fill(a, (byte) 0);
            Arrays.fill(b, (byte) 0);
        }
    }

    public boolean isCleared() {
        return cleared;
    }

    @Override
    public void close() {
        Arrays.fill(value, '\0');
        cleared = true;
    }

    private void checkNotCleared() {
        if (cleared) {
            throw new IllegalStateException("secret was already cleared");
        }
    }

    @Override
    public String toString() {
        return "***";
    }
}
