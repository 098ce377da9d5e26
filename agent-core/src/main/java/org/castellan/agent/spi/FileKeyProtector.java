package org.castellan.agent.spi;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Protection by file permissions alone, for platforms with no machine-bound store to seal with
 * (Linux; macOS until a native Keychain binding exists): sealed data is the plaintext behind a
 * format marker, and the agent writes it to 0600 files in a 0700, root-owned state directory.
 *
 * <p>Honestly: this is not encryption at rest. Root, and anyone who reads the disk unencrypted, can
 * read it; there is nothing root could not also read to seal it with, so pretending otherwise adds
 * nothing. (The macOS {@code security} tool would take secrets as arguments, which {@code ps} shows.)
 * The marker makes a file written by another protector (e.g. DPAPI) fail loudly instead of being
 * taken for a key.
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
