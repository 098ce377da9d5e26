package org.castellan.server.rotation;

import java.time.Instant;
import org.castellan.protocol.envelope.Envelope;

/**
 * One escrowed password of a device. States: {@code pending} (escrowed, maybe set on the device),
 * {@code committed} (the device's current password), {@code superseded} (an older password, or a
 * pending one overtaken by a later commit), {@code aborted} (never set on the device).
 */
public record Rotation(String id, String deviceId, String account, String state, Envelope envelope,
                       Instant escrowedAt, Instant committedAt, Instant abortedAt, Instant expiresAt, String detail) {
    public static final String PENDING = "pending";
    public static final String COMMITTED = "committed";
    public static final String SUPERSEDED = "superseded";
    public static final String ABORTED = "aborted";
}
