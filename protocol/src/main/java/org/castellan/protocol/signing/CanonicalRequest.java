package org.castellan.protocol.signing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The exact bytes a device signs: every part of the request an attacker could change, including a
 * digest of the body, one per line. The device id is included so a signature cannot be re-labelled.
 */
final class CanonicalRequest {
    private static final String VERSION = "castellan-request-v1";

    private CanonicalRequest() {}

    static byte[] build(String method, String pathAndQuery, String deviceId, long timestamp,
                        String nonce, byte[] body) {
        String canonical = VERSION + '\n'
                + method.toUpperCase(java.util.Locale.ROOT) + '\n'
                + pathAndQuery + '\n'
                + (deviceId == null ? "" : deviceId) + '\n'
                + timestamp + '\n'
                + nonce + '\n'
                + HexFormat.of().formatHex(sha256(body));
        return canonical.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body == null ? new byte[0] : body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
