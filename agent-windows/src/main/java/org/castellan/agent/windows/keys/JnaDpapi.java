package org.castellan.agent.windows.keys;

import com.sun.jna.platform.win32.Crypt32Util;
import com.sun.jna.platform.win32.Win32Exception;
import org.castellan.agent.spi.PlatformException;

/** {@link Dpapi} through jna-platform's {@link Crypt32Util} (Windows only). */
public final class JnaDpapi implements Dpapi {
    private static final String DESCRIPTION = "Castellan device key";

    @Override
    public byte[] protect(byte[] plaintext, byte[] entropy, int flags) throws PlatformException {
        try {
            return Crypt32Util.cryptProtectData(plaintext, entropy, flags, DESCRIPTION, null);
        } catch (Win32Exception e) {
            throw new PlatformException("key-protection-failed",
                    "seal the device key with DPAPI (CryptProtectData): Win32 error " + e.getErrorCode(), e);
        }
    }

    @Override
    public byte[] unprotect(byte[] sealed, byte[] entropy, int flags) throws PlatformException {
        try {
            return Crypt32Util.cryptUnprotectData(sealed, entropy, flags, null);
        } catch (Win32Exception e) {
            throw new PlatformException("key-protection-failed",
                    "unseal the device key with DPAPI (CryptUnprotectData): Win32 error " + e.getErrorCode()
                            + " (was the state directory copied from another machine?)", e);
        }
    }
}
