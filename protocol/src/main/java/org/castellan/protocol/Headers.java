package org.castellan.protocol;

/** HTTP header names of the agent protocol. */
public final class Headers {
    private Headers() {}

    /** The device id; absent on registration, where the device has none yet. */
    public static final String DEVICE = "X-Castellan-Device";
    /** Seconds since the epoch at which the agent signed the request. */
    public static final String TIMESTAMP = "X-Castellan-Timestamp";
    /** A single-use random value, base64url, so a captured request cannot be replayed. */
    public static final String NONCE = "X-Castellan-Nonce";
    /** Base64 Ed25519 signature over the canonical request. */
    public static final String SIGNATURE = "X-Castellan-Signature";
}
