package org.castellan.cli.input;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/** A byte buffer whose backing array can be zeroed once a secret written to it is no longer needed. */
public final class WipeableBuffer extends ByteArrayOutputStream {
    public WipeableBuffer() {
        super(1024);
    }

    public WipeableBuffer(int size) {
        super(size);
    }

    public void wipe() {
        Arrays.fill(buf, (byte) 0);
        reset();
    }
}
