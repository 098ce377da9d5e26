package org.castellan.api;

import java.time.Instant;

/**
 * A just-in-time admin-rights request as {@code /api/v1/jit} shows it.
 *
 * @param status {@code pending} (waiting for approval), {@code lapsed} (not approved in time),
 *     {@code active}, {@code expired} or {@code revoked}
 * @param expiresAt when the right ends; null while pending
 * @param agentState what the device last reported: {@code granted}, {@code revoked}, {@code expired},
 *     {@code failed}, or null before its first report
 */
public record JitGrantView(String id, String deviceId, String hostname, String user, long minutes, String reason,
                           String status, String requestedBy, Instant requestedAt, boolean approvalRequired,
                           String approvedBy, Instant approvedAt, Instant expiresAt, String revokedBy,
                           Instant revokedAt, String agentState, Instant agentStateAt, String agentDetail) {}
