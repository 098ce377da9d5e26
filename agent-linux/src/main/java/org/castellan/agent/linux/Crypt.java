package org.castellan.agent.linux;

/**
 * crypt(3): the hash of a passphrase under a setting (a shadow entry serves as its own setting).
 * {@link LibCrypt} is the real one; tests of the comparison logic use a hand-written one.
 */
interface Crypt {
    /**
     * @param phrase the passphrase's UTF-8 bytes (the caller wipes them)
     * @return the hash, or null when libcrypt rejects the setting (an unknown or damaged scheme)
     */
    String hash(byte[] phrase, String setting) throws CryptUnavailableException;

    /** libcrypt cannot be loaded or called. */
    final class CryptUnavailableException extends Exception {
        CryptUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
