package org.castellan.protocol.messages;

import java.time.Instant;
import java.util.List;

/**
 * The server's answer to a check-in.
 *
 * @param rotate whether the agent must rotate the password now
 * @param rotateReason why ({@code no-password}, {@code max-age}, {@code requested},
 *     {@code account-changed}, {@code expired-after-read}), or null
 * @param rotateRecoveryKeys protector ids of Castellan-held recovery keys (LUKS) that must be
 *     replaced now (read under a rotate-after-read rule); never null
 */
public record CheckInResponse(
        Instant serverTime,
        AgentPolicy policy,
        VaultKey vaultKey,
        boolean rotate,
        String rotateReason,
        List<String> rotateRecoveryKeys) {

    public CheckInResponse {
        rotateRecoveryKeys = rotateRecoveryKeys == null ? List.of() : List.copyOf(rotateRecoveryKeys);
    }

    /** An answer that asks for no recovery-key rotation. */
    public CheckInResponse(Instant serverTime, AgentPolicy policy, VaultKey vaultKey, boolean rotate, String rotateReason) {
        this(serverTime, policy, vaultKey, rotate, rotateReason, List.of());
    }
}
