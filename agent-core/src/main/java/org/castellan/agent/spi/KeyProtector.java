package org.castellan.agent.spi;

/** Seals small secrets (the device private key) for storage in the state directory. */
public interface KeyProtector {
    /** A short name for status output, e.g. {@code file-0600} or {@code dpapi-machine}. */
    String name();

    byte[] seal(byte[] plaintext) throws PlatformException;

    byte[] unseal(byte[] sealed) throws PlatformException;
}
