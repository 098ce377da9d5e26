package org.castellan.agent.windows.jna;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.util.Arrays;
import org.castellan.protocol.Secret;

/**
 * A password as a NUL-terminated UTF-16LE string in native memory that we own, so that it can be
 * wiped the moment the Windows call returns. (A Java String handed to JNA is copied into memory
 * JNA frees but never clears.) Use with try-with-resources.
 */
public final class NativePassword implements AutoCloseable {
    private final Memory memory;
    private boolean closed;
    private boolean wipedOnClose;

    private NativePassword(Memory memory) {
        this.memory = memory;
    }

    /** Copies the secret's characters; the temporary char[] is wiped before returning. */
    public static NativePassword copyOf(Secret secret) {
        char[] chars = secret.chars();
        try {
            for (char c : chars) {
                if (c == '\0') {
                    // Windows would silently cut the password at the NUL: refuse instead.
                    throw new IllegalArgumentException("password contains a NUL character");
                }
            }
            Memory memory = new Memory(2L * (chars.length + 1));
            for (int i = 0; i < chars.length; i++) {
                // wchar_t is 16 bits on Windows; setShort writes native (little-endian) order.
                memory.setShort(2L * i, (short) chars[i]);
            }
            memory.setShort(2L * chars.length, (short) 0);
            return new NativePassword(memory);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    public Pointer pointer() {
        if (closed) {
            throw new IllegalStateException("native password already wiped");
        }
        return memory;
    }

    /** Size in bytes including the terminating NUL. */
    public long byteSize() {
        return memory.size();
    }

    /** Zeroes the buffer, checks that it reads back as zeros, then frees it. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        memory.clear();
        wipedOnClose = allZero();
        closed = true;
        memory.close();
    }

    public boolean isClosed() {
        return closed;
    }

    /** True when {@link #close()} read the buffer back as all zeros just before freeing it. */
    public boolean wasWipedOnClose() {
        return wipedOnClose;
    }

    private boolean allZero() {
        for (long i = 0; i < memory.size(); i++) {
            if (memory.getByte(i) != 0) {
                return false;
            }
        }
        return true;
    }
}
