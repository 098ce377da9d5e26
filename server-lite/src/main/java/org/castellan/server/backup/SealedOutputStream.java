package org.castellan.server.backup;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Chunked AES-256-GCM (the STREAM construction): the plaintext is cut into chunks of
 * {@link BackupHeader#CHUNK_BYTES}; chunk {@code i} is sealed with nonce
 * {@code prefix(7) || i (4, big-endian) || last (1: 0x01 for the final chunk, else 0x00)} and the
 * whole header as associated data, and written as {@code u32 length || ciphertext+tag}. Reordered,
 * dropped, duplicated or truncated chunks and any change to the header all fail authentication.
 */
final class SealedOutputStream extends OutputStream {
    private final DataOutputStream out;
    private final SecretKeySpec key;
    private final byte[] noncePrefix;
    private final byte[] aad;
    private final byte[] buffer = new byte[BackupHeader.CHUNK_BYTES];
    private int filled;
    private int counter;
    private boolean closed;

    SealedOutputStream(OutputStream out, SecretKeySpec key, byte[] noncePrefix, byte[] aad) {
        this.out = new DataOutputStream(out);
        this.key = key;
        this.noncePrefix = noncePrefix.clone();
        this.aad = aad.clone();
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (filled == buffer.length) {
                seal(false); // only now: the full buffer is not the last chunk
            }
            int n = Math.min(len, buffer.length - filled);
            System.arraycopy(b, off, buffer, filled, n);
            filled += n;
            off += n;
            len -= n;
        }
    }

    private void seal(boolean last) throws IOException {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce(noncePrefix, counter, last)));
            cipher.updateAAD(aad);
            byte[] sealed = cipher.doFinal(buffer, 0, filled);
            out.writeInt(sealed.length);
            out.write(sealed);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot encrypt the backup: " + e.getMessage(), e);
        }
        java.util.Arrays.fill(buffer, 0, filled, (byte) 0);
        filled = 0;
        if (++counter == Integer.MAX_VALUE) {
            throw new IOException("backup too large for one file");
        }
    }

    static byte[] nonce(byte[] prefix, int counter, boolean last) {
        byte[] nonce = new byte[12];
        System.arraycopy(prefix, 0, nonce, 0, 7);
        nonce[7] = (byte) (counter >>> 24);
        nonce[8] = (byte) (counter >>> 16);
        nonce[9] = (byte) (counter >>> 8);
        nonce[10] = (byte) counter;
        nonce[11] = (byte) (last ? 1 : 0);
        return nonce;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        seal(true);
        out.flush();
        out.close();
    }
}
