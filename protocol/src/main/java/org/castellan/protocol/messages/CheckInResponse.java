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
 * @param jitGrants every just-in-time grant the device should hold now; null from a server
 *     without just-in-time rights (the agent then changes none it holds, and lets them expire)
 * @param jitPending true while a request for this device waits for approval: the agent checks
 *     in sooner ({@code JIT_PENDING_CHECK_IN_SECONDS}) so the right arrives soon after approval
 */
public record CheckInResponse(
        Instant serverTime,
        AgentPolicy policy,
        VaultKey vaultKey,
        boolean rotate,
        String rotateReason,
        List<String> rotateRecoveryKeys,
        List<JitGrant> jitGrants,
        Boolean jitPending) {

    /** How often an agent checks in while {@link #jitPending} (and the policy's interval is longer). */
    public static final int JIT_PENDING_CHECK_IN_SECONDS = 60;

    public CheckInResponse {
        rotateRecoveryKeys = rotateRecoveryKeys == null ? List.of() : List.copyOf(rotateRecoveryKeys);
        jitGrants = jitGrants == null ? null : List.copyOf(jitGrants);
        jitPending = Boolean.TRUE.equals(jitPending);
    }

    /** An answer without just-in-time grants. */
    public CheckInResponse(Instant serverTime, AgentPolicy policy, VaultKey vaultKey, boolean rotate, String rotateReason,
                           List<String> rotateRecoveryKeys) {
        this(serverTime, policy, vaultKey, rotate, rotateReason, rotateRecoveryKeys, null, false);
    }

    /** An answer that asks for no recovery-key rotation and carries no just-in-time grants. */
    public CheckInResponse(Instant serverTime, AgentPolicy policy, VaultKey vaultKey, boolean rotate, String rotateReason) {
        this(serverTime, policy, vaultKey, rotate, rotateReason, List.of(), null, false);
    }
}
