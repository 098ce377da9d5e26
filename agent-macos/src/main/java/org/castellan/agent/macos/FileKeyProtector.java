package org.castellan.agent.macos;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.castellan.agent.spi.KeyProtector;
import org.castellan.agent.spi.PlatformException;

/**
 * Protection by file permissions alone: sealed data is the plaintext behind a format marker, and
 * the agent writes it to 0600 files in a 0700, root-owned state directory.
 *
 * <p>Honestly: this is not encryption at rest. Root (and anyone who images the disk while FileVault
 * is unlocked or off) can read it. The System keychain would be better, but the {@code security}
 * tool takes secrets as arguments, which {@code ps} shows; a native Keychain binding is left for later.
 */
public final class FileKeyProtector implements KeyProtector {
    public static final String NAME = "file-0600";
    private static final byte[] MAGIC = "castellan-file-0600:".getBytes(StandardCharsets.US_ASCII);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public byte[] seal(byte[] plaintext) {
        byte[] sealed = Arrays.copyOf(MAGIC, MAGIC.length + plaintext.length);
        System.arraycopy(plaintext, 0, sealed, MAGIC.length, plaintext.length);
        return sealed;
    }

    @Override
    public byte[] unseal(byte[] sealed) throws PlatformException {
        if (sealed.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(sealed, MAGIC.length), MAGIC)) {
            throw new PlatformException("unseal-failed", "sealed data was not written by the " + NAME + " key protector");
        }
        return Arrays.copyOfRange(sealed, MAGIC.length, sealed.length);
    }
}
