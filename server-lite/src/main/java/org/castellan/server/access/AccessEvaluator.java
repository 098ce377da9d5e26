package org.castellan.server.access;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Answers "what may user U (a member of groups G) do on device D, and which rules say so".
 *
 * <p>Pure and stateless apart from the clock: callers load the groups and rules and pass them
 * in. The admin role is not known here; the caller bypasses the evaluator for admins. Denial is
 * the default: with no matching active rule the answer is {@link EffectiveAccess#NONE}.
 *
 * <ul>
 *   <li>A rule matches when one of its principals is {@code user:U} or {@code user-group:g} for a
 *       g in G, and one of its targets is {@code all}, {@code device:D}, or
 *       {@code device-group:X} for a group X that contains D (explicitly or by match).</li>
 *   <li>Disabled rules and rules at or past {@code expiresAt} are ignored.</li>
 *   <li>A disabled or unapproved device gets no secret permissions
 *       ({@link Permission#revealsSecret()}); management permissions still apply so it can be
 *       approved or re-enabled.</li>
 * </ul>
 */
public final class AccessEvaluator {
    private final Clock clock;

    public AccessEvaluator(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public EffectiveAccess effective(String userId, Set<String> userGroupIds, DeviceFacts device,
                                     Collection<DeviceGroup> groups, Collection<Rule> rules) {
        return effective(userId, userGroupIds, device, groups, rules, clock.instant());
    }

    public static EffectiveAccess effective(String userId, Set<String> userGroupIds, DeviceFacts device,
                                            Collection<DeviceGroup> groups, Collection<Rule> rules,
                                            Instant now) {
        Objects.requireNonNull(userId, "userId");
        Set<PrincipalRef> principals = new HashSet<>();
        principals.add(PrincipalRef.user(userId));
        for (String groupId : userGroupIds) {
            principals.add(PrincipalRef.userGroup(groupId));
        }
        return effectiveFor(principals, device, groups, rules, now);
    }

    /**
     * The same answer for any set of principals a caller acts as: e.g. just
     * {@code user-group:helpdesk} to show what membership of that group grants.
     */
    public static EffectiveAccess effectiveFor(Set<PrincipalRef> principals, DeviceFacts device,
                                               Collection<DeviceGroup> groups, Collection<Rule> rules,
                                               Instant now) {
        Objects.requireNonNull(device, "device");
        Set<TargetRef> targets = new HashSet<>();
        targets.add(TargetRef.ALL);
        targets.add(TargetRef.device(device.id()));
        for (DeviceGroup group : groups) {
            if (group.contains(device)) {
                targets.add(TargetRef.deviceGroup(group.id()));
            }
        }
        List<Rule> matching = new ArrayList<>();
        for (Rule rule : rules) {
            if (rule.activeAt(now)
                    && rule.principals().stream().anyMatch(principals::contains)
                    && rule.targets().stream().anyMatch(targets::contains)) {
                matching.add(rule);
            }
        }
        return EffectiveAccess.from(matching, device.mayRevealSecrets());
    }
}
