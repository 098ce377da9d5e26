package org.castellan.server.access;

import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a principal may do on one device, and the rules that say so.
 *
 * @param permissions the union of what {@code matchingRules} grant (secret permissions already
 *     removed for a disabled or unapproved device)
 * @param matchingRules the active rules that grant at least one of {@code permissions}, by id
 * @param requireReason true when any matching rule granting {@code password.read} requires a reason
 * @param rotateAfterReadMinutes the smallest {@code rotateAfterReadMinutes} among matching rules
 *     granting {@code password.read}; null when none asks for it
 * @param channels the union of the matching rules' notification channels
 */
public record EffectiveAccess(Set<Permission> permissions, List<Rule> matchingRules, boolean requireReason,
                              Integer rotateAfterReadMinutes, Set<String> channels) {
    public static final EffectiveAccess NONE = new EffectiveAccess(Set.of(), List.of(), false, null, Set.of());

    public EffectiveAccess {
        permissions = Set.copyOf(permissions);
        matchingRules = List.copyOf(matchingRules);
        channels = Set.copyOf(channels);
    }

    /** Builds the answer from rules already filtered to this principal and device; see the record doc. */
    static EffectiveAccess from(List<Rule> rules, boolean secretsAllowed) {
        EnumSet<Permission> granted = EnumSet.noneOf(Permission.class);
        List<Rule> contributing = new java.util.ArrayList<>();
        boolean reason = false;
        Integer rotate = null;
        TreeSet<String> channels = new TreeSet<>();
        for (Rule rule : rules) {
            EnumSet<Permission> fromRule = EnumSet.noneOf(Permission.class);
            for (Permission p : rule.permissions()) {
                if (secretsAllowed || !p.revealsSecret()) {
                    fromRule.add(p);
                }
            }
            if (fromRule.isEmpty()) {
                continue;
            }
            granted.addAll(fromRule);
            contributing.add(rule);
            channels.addAll(rule.channels());
            if (fromRule.contains(Permission.PASSWORD_READ)) {
                reason |= rule.requireReason();
                Integer minutes = rule.rotateAfterReadMinutes();
                if (minutes != null && (rotate == null || minutes < rotate)) {
                    rotate = minutes;
                }
            }
        }
        if (contributing.isEmpty()) {
            return NONE;
        }
        contributing.sort(Comparator.comparing(Rule::id));
        return new EffectiveAccess(granted, contributing, reason, rotate, channels);
    }

    public boolean allows(Permission permission) {
        return permissions.contains(permission);
    }

    /** Ids of the matching rules, sorted. */
    public List<String> ruleIds() {
        return matchingRules.stream().map(Rule::id).toList();
    }

    /** The rules (sorted by id) that grant {@code permission}: the ones to cite in the audit entry. */
    public List<Rule> rulesGranting(Permission permission) {
        if (!allows(permission)) {
            return List.of();
        }
        return matchingRules.stream().filter(r -> r.permissions().contains(permission)).toList();
    }

    /** True when any matching rule granting {@code permission} requires a reason. */
    /**
     * The smallest {@code rotateAfterReadMinutes} among matching rules granting {@code permission}
     * (for {@code password.read} that is {@link #rotateAfterReadMinutes()}); null when none asks for it.
     */
    public Integer rotateAfterReadMinutesFor(Permission permission) {
        Integer rotate = null;
        for (Rule rule : rulesGranting(permission)) {
            Integer minutes = rule.rotateAfterReadMinutes();
            if (minutes != null && (rotate == null || minutes < rotate)) {
                rotate = minutes;
            }
        }
        return rotate;
    }

    public boolean requiresReasonFor(Permission permission) {
        return rulesGranting(permission).stream().anyMatch(Rule::requireReason);
    }

    /**
     * The smallest {@code requireSecondFactorMinutes} among matching rules granting {@code permission}:
     * the caller must have shown a second factor within that many minutes; null when no rule asks for one.
     */
    public Integer secondFactorWithinMinutesFor(Permission permission) {
        Integer within = null;
        for (Rule rule : rulesGranting(permission)) {
            Integer minutes = rule.requireSecondFactorMinutes();
            if (minutes != null && (within == null || minutes < within)) {
                within = minutes;
            }
        }
        return within;
    }

    /** True when any matching rule granting {@code permission} asks for a second person's approval. */
    public boolean requiresApprovalFor(Permission permission) {
        return rulesGranting(permission).stream().anyMatch(Rule::requireApproval);
    }

    /** The channels of the rules granting {@code permission}: who to notify when it is used. */
    public Set<String> channelsFor(Permission permission) {
        TreeSet<String> out = new TreeSet<>();
        rulesGranting(permission).forEach(r -> out.addAll(r.channels()));
        return out;
    }
}
