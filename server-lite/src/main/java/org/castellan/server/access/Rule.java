package org.castellan.server.access;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An authorization rule: {@code principals} get {@code permissions} over {@code targets}.
 *
 * @param rotateAfterReadMinutes null when reading does not force a rotation
 * @param channels notification channel ids told when the rule is used
 * @param expiresAt null for a rule that does not expire; the rule stops applying at that instant
 * @param disabled a disabled rule grants nothing
 * @param requireApproval a just-in-time request under this rule waits for a second person's approval
 * @param requireSecondFactorMinutes a use of a secret permission under this rule needs a second
 *     factor (TOTP, or the identity provider's MFA) shown within the last this many minutes; null: not needed
 */
public record Rule(String id, String name, List<PrincipalRef> principals, List<TargetRef> targets,
                   Set<Permission> permissions, boolean requireReason, Integer rotateAfterReadMinutes,
                   List<String> channels, Instant expiresAt, boolean disabled, boolean requireApproval,
                   Integer requireSecondFactorMinutes) {
    /** The largest {@code requireSecondFactorMinutes}: a day. */
    public static final int MAX_SECOND_FACTOR_MINUTES = 1440;

    /** A rule that asks for no second factor. */
    public Rule(String id, String name, List<PrincipalRef> principals, List<TargetRef> targets,
                Set<Permission> permissions, boolean requireReason, Integer rotateAfterReadMinutes,
                List<String> channels, Instant expiresAt, boolean disabled, boolean requireApproval) {
        this(id, name, principals, targets, permissions, requireReason, rotateAfterReadMinutes, channels, expiresAt,
                disabled, requireApproval, null);
    }

    /** A rule that asks for no approval. */
    public Rule(String id, String name, List<PrincipalRef> principals, List<TargetRef> targets,
                Set<Permission> permissions, boolean requireReason, Integer rotateAfterReadMinutes,
                List<String> channels, Instant expiresAt, boolean disabled) {
        this(id, name, principals, targets, permissions, requireReason, rotateAfterReadMinutes, channels, expiresAt,
                disabled, false, null);
    }

    public Rule {
        Refs.requireId(id, "rule");
        Objects.requireNonNull(name, "name");
        principals = List.copyOf(principals);
        targets = List.copyOf(targets);
        permissions = permissions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(permissions));
        channels = List.copyOf(channels);
        if (principals.isEmpty()) {
            throw new IllegalArgumentException("rule " + id + " names no principals");
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("rule " + id + " names no targets");
        }
        if (permissions.isEmpty()) {
            throw new IllegalArgumentException("rule " + id + " grants no permissions");
        }
        if (rotateAfterReadMinutes != null && rotateAfterReadMinutes < 0) {
            throw new IllegalArgumentException("rule " + id + " rotateAfterReadMinutes must be 0 or more");
        }
        if (requireSecondFactorMinutes != null
                && (requireSecondFactorMinutes < 1 || requireSecondFactorMinutes > MAX_SECOND_FACTOR_MINUTES)) {
            throw new IllegalArgumentException("rule " + id + " requireSecondFactorMinutes must be 1 to "
                    + MAX_SECOND_FACTOR_MINUTES);
        }
    }

    /** True when the rule applies at {@code now}: not disabled and not past {@code expiresAt}. */
    public boolean activeAt(Instant now) {
        return !disabled && (expiresAt == null || now.isBefore(expiresAt));
    }
}
