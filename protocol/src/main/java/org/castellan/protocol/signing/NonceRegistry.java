package org.castellan.protocol.signing;

/** Remembers nonces seen within the allowed clock skew, so a captured request cannot be replayed. */
public interface NonceRegistry {
    /**
     * Records a nonce for a device.
     *
     * @return false if this device already used this nonce
     */
    boolean firstUse(String deviceKey, String nonce, long timestamp);
}
