package org.castellan.protocol.messages;

import java.time.Instant;

/**
 * What the agent did about a {@link JitGrant}, sent with the next check-in (and kept in the
 * agent's state until a check-in carried it).
 *
 * @param state {@link #GRANTED}, {@link #REVOKED} (removed early, the server stopped listing it),
 *     {@link #EXPIRED} (removed at {@code notAfter}) or {@link #FAILED}
 * @param detail why it failed (no secrets), or null
 */
public record JitReport(String grantId, String state, Instant at, String detail) {
    public static final String GRANTED = "granted";
    public static final String REVOKED = "revoked";
    public static final String EXPIRED = "expired";
    public static final String FAILED = "failed";
}
