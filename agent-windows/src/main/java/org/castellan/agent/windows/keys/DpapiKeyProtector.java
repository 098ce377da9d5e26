package org.castellan.agent.windows.keys;

import java.nio.charset.StandardCharsets;
import org.castellan.agent.spi.KeyProtector;
import org.castellan.agent.spi.PlatformException;

/**
 * Seals the device private key with machine-scope DPAPI. The blob only opens on this machine, so a
 * copied state directory is useless elsewhere. Machine scope (not SYSTEM's user scope) lets an
 * administrator's interactive {@code castellan-agent check-in} open it too; in exchange any local
 * process could call CryptUnprotectData on the blob, which is why the state directory is readable
 * only by SYSTEM and Administrators ({@link StateDirSecurity}). The fixed extra entropy keeps other
 * software's machine-scope blobs and ours from being interchangeable.
 */
public final class DpapiKeyProtector implements KeyProtector {
    public static final int CRYPTPROTECT_UI_FORBIDDEN = 0x1;
    public static final int CRYPTPROTECT_LOCAL_MACHINE = 0x4;
    static final int FLAGS = CRYPTPROTECT_LOCAL_MACHINE | CRYPTPROTECT_UI_FORBIDDEN;
    static final byte[] ENTROPY = "castellan-device-key-v1".getBytes(StandardCharsets.US_ASCII);

    private final Dpapi dpapi;

    public DpapiKeyProtector(Dpapi dpapi) {
        this.dpapi = dpapi;
    }

    @Override
    public String name() {
        return "dpapi-machine";
    }

    @Override
    public byte[] seal(byte[] plaintext) throws PlatformException {
        return dpapi.protect(plaintext, ENTROPY.clone(), FLAGS);
    }

    @Override
    public byte[] unseal(byte[] sealed) throws PlatformException {
        return dpapi.unprotect(sealed, ENTROPY.clone(), FLAGS);
    }
}
