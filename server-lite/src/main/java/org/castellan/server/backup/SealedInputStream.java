package org.castellan.server.backup;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Reads what {@link SealedOutputStream} wrote. A chunk is only handed out once its tag checked;
 * the final chunk must carry the "last" flag and be followed by the end of the file, so a
 * truncated backup is refused rather than read as a shorter one.
 */
final class SealedInputStream extends InputStream {
    private final DataInputStream in;
    private final SecretKeySpec key;
    private final byte[] noncePrefix;
    private final byte[] aad;
    private byte[] chunk = new byte[0];
    private int pos;
    private int counter;
    private boolean done;
    private Integer nextLength;

    SealedInputStream(InputStream in, SecretKeySpec key, byte[] noncePrefix, byte[] aad) throws IOException {
        this.in = new DataInputStream(in);
        this.key = key;
        this.noncePrefix = noncePrefix.clone();
        this.aad = aad.clone();
        this.nextLength = readLength();
        if (nextLength == null) {
            throw damaged("it ends after its header");
        }
    }

    private Integer readLength() throws IOException {
        int b1 = in.read();
        if (b1 < 0) {
            return null;
        }
        int rest;
        try {
            rest = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
        } catch (EOFException e) {
            throw damaged("it is truncated");
        }
        return (b1 << 24) | rest;
    }

    private boolean fill() throws IOException {
        while (pos == chunk.length) {
            if (done) {
                return false;
            }
            int length = nextLength;
            if (length < 16 || length > BackupHeader.CHUNK_BYTES + 16) {
                throw damaged("chunk " + counter + " has an impossible length");
            }
            byte[] sealed = new byte[length];
            try {
                in.readFully(sealed);
            } catch (EOFException e) {
                throw damaged("it is truncated in chunk " + counter);
            }
            nextLength = readLength();
            boolean last = nextLength == null;
            try {
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.DECRYPT_MODE, key,
                        new GCMParameterSpec(128, SealedOutputStream.nonce(noncePrefix, counter, last)));
                cipher.updateAAD(aad);
                chunk = cipher.doFinal(sealed);
            } catch (AEADBadTagException e) {
                throw damaged("chunk " + counter + (last ? " (the last one)" : "") + " fails authentication: the file was"
                        + " altered, truncated or reordered");
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot decrypt the backup: " + e.getMessage(), e);
            }
            pos = 0;
            counter++;
            done = last;
        }
        return true;
    }

    static BackupException damaged(String why) {
        return new BackupException("the backup file is damaged: " + why + " (nothing was written)");
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return chunk[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, chunk.length - pos);
        System.arraycopy(chunk, pos, b, off, n);
        pos += n;
        return n;
    }

    /** Whether every chunk was read and authenticated, up to the final one. */
    boolean complete() throws IOException {
        return !fill() && done;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
