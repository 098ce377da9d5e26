package org.castellan.api;

import java.time.Instant;
import java.util.List;

/**
 * An access rule as {@code /api/v1/rules} shows it; principals, targets and permissions in their wire spelling.
 *
 * @param requireApproval a {@code device.jit} request under the rule waits for a second person's approval
 * @param requireSecondFactorMinutes secrets under the rule need a second factor shown within this many
 *     minutes (console TOTP or the identity provider's MFA; API tokens are refused); null: none needed
 */
public record RuleView(String id, String name, List<String> principals, List<String> targets,
                       List<String> permissions, boolean requireReason, Integer rotateAfterReadMinutes,
                       List<String> channels, Instant expiresAt, boolean requireApproval,
                       Integer requireSecondFactorMinutes) {}
