package org.castellan.agent.windows.keys;

import org.castellan.agent.spi.PlatformException;

/** CryptProtectData / CryptUnprotectData, behind an interface so the wiring is testable on Linux. */
public interface Dpapi {
    byte[] protect(byte[] plaintext, byte[] entropy, int flags) throws PlatformException;

    byte[] unprotect(byte[] sealed, byte[] entropy, int flags) throws PlatformException;
}
