package org.castellan.server.jit;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One just-in-time request as stored. Its {@link #status} is derived from the times, so nothing
 * has to run at expiry: {@code pending} (waiting for approval), {@code lapsed} (not approved within
 * {@link #APPROVAL_WINDOW}), {@code active}, {@code expired}, {@code revoked}.
 */
public record JitGrantRow(String id, String deviceId, String account, long durationSeconds, String reason,
                          String requestedBy, Instant requestedAt, boolean approvalRequired, String approvedBy,
                          Instant approvedAt, Instant expiresAt, String revokedBy, Instant revokedAt,
                          String agentState, Instant agentStateAt, String agentDetail, List<String> channels) {
    /** A request nobody approved within this long lapses. */
    public static final Duration APPROVAL_WINDOW = Duration.ofHours(24);

    public String status(Instant now) {
        if (revokedAt != null) {
            return "revoked";
        }
        if (expiresAt == null) {
            return now.isBefore(requestedAt.plus(APPROVAL_WINDOW)) ? "pending" : "lapsed";
        }
        return now.isBefore(expiresAt) ? "active" : "expired";
    }
}
