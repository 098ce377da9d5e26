package org.castellan.protocol.messages;

import java.time.Instant;

/**
 * The server's answer to a check-in.
 *
 * @param rotate whether the agent must rotate the password now
 * @param rotateReason why ({@code no-password}, {@code max-age}, {@code requested},
 *     {@code account-changed}, {@code expired-after-read}), or null
 */
public record CheckInResponse(
        Instant serverTime,
        AgentPolicy policy,
        VaultKey vaultKey,
        boolean rotate,
        String rotateReason) {}
