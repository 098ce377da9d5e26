package org.castellan.server.rotation;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.castellan.server.policy.Policy;

/**
 * Whether a device must rotate at this check-in, and why. The first matching reason wins, in
 * the order the agent protocol lists them.
 */
public final class RotateDecision {
    private RotateDecision() {}

    /** @return the reason to rotate, or empty when the current password may stay */
    public static Optional<String> decide(Optional<Rotation> current, String reportedAccount,
                                          Instant rotateRequestedAt, Policy policy, Instant now) {
        if (current.isEmpty()) {
            return Optional.of("no-password");
        }
        Rotation committed = current.get();
        if (reportedAccount != null && !reportedAccount.equals(committed.account())) {
            return Optional.of("account-changed");
        }
        if (rotateRequestedAt != null && rotateRequestedAt.isAfter(committed.committedAt())) {
            return Optional.of("requested");
        }
        if (committed.expiresAt() != null && !now.isBefore(committed.expiresAt())) {
            return Optional.of("expired");
        }
        if (!now.isBefore(committed.committedAt().plus(Duration.ofDays(policy.maxAgeDays())))) {
            return Optional.of("max-age");
        }
        return Optional.empty();
    }
}
