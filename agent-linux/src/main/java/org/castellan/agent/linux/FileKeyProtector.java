package org.castellan.agent.linux;

import org.castellan.agent.spi.KeyProtector;

/**
 * No sealing: on Linux the protection is the file itself, owner-only (0600) in an owner-only
 * (0700) directory owned by root. There is no machine-bound secret store to seal with that root
 * could not also read, so pretending otherwise would add nothing.
 */
final class FileKeyProtector implements KeyProtector {
    @Override
    public String name() {
        return "file-0600";
    }

    @Override
    public byte[] seal(byte[] plaintext) {
        return plaintext.clone();
    }

    @Override
    public byte[] unseal(byte[] sealed) {
        return sealed.clone();
    }
}
