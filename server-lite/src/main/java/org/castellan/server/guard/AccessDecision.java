package org.castellan.server.guard;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.castellan.server.access.AccessEvaluator;
import org.castellan.server.access.DeviceFacts;
import org.castellan.server.access.DeviceGroup;
import org.castellan.server.access.DeviceMatch;
import org.castellan.server.access.EffectiveAccess;
import org.castellan.server.access.Permission;
import org.castellan.server.access.PrincipalRef;
import org.castellan.server.access.Rule;
import org.castellan.server.access.TargetRef;
import org.castellan.server.db.StorageException;
import org.castellan.server.devices.Device;
import org.castellan.server.devices.DeviceScope;
import org.castellan.server.groups.DeviceGroupRow;
import org.castellan.server.groups.SqlDeviceGroupStore;
import org.castellan.server.groups.SqlUserGroupStore;
import org.castellan.server.rules.SqlRuleStore;
import org.castellan.server.users.Principal;

/**
 * The access decision: what may a principal do on a device? Loads what the rules need once per
 * request (the caller's user groups, every device group's definition, every rule), then each
 * device is an evaluation ({@link AccessEvaluator}) with that device's explicit group memberships. The admin role has every permission; the rules still say
 * which reason, rotation and channels apply.
 */
public final class AccessDecision {
    private final SqlUserGroupStore userGroups;
    private final SqlDeviceGroupStore deviceGroups;
    private final SqlRuleStore rules;
    private final Clock clock;

    public AccessDecision(SqlUserGroupStore userGroups, SqlDeviceGroupStore deviceGroups, SqlRuleStore rules,
                          Clock clock) {
        this.userGroups = userGroups;
        this.deviceGroups = deviceGroups;
        this.rules = rules;
        this.clock = clock;
    }

    /**
     * What {@code principal} may do, for as many devices as the request looks at, within the
     * transaction of {@code c}: each device's explicit group memberships are read through it
     * (one indexed look-up per device, remembered), never every member of every group.
     */
    public CallerAccess of(Connection c, Principal principal) throws SQLException {
        return new CallerAccess(principal, userGroups.groupsOf(c, principal.userId()), deviceGroups.definitions(c),
                memberships(c), rules.list(c), clock.instant());
    }

    /** The decision's clock: when a second factor counts as recent. */
    java.time.Instant now() {
        return clock.instant();
    }

    /** What the given principals (e.g. one user group) get on {@code device} through rules. */
    public EffectiveAccess forPrincipals(Connection c, Set<PrincipalRef> principals, Device device) throws SQLException {
        List<DeviceGroup> groups = DeviceGroupRow.asSeenBy(deviceGroups.definitions(c), device.id(),
                deviceGroups.explicitGroupsOf(c, device.id()));
        return AccessEvaluator.effectiveFor(principals, device.facts(), groups, rules.list(c), clock.instant());
    }

    /** Explicit memberships per device id, read through {@code c} on first use. */
    private Function<String, Set<String>> memberships(Connection c) {
        Map<String, Set<String>> known = new HashMap<>();
        return deviceId -> known.computeIfAbsent(deviceId, id -> {
            try {
                return deviceGroups.explicitGroupsOf(c, id);
            } catch (SQLException e) {
                throw new StorageException("cannot read the device's group memberships", e);
            }
        });
    }

    /**
     * One principal's rights, with the rules and group definitions loaded: answering for a device
     * reads only that device's explicit group memberships (through the transaction it was made in,
     * so it is used inside that transaction).
     */
    public static final class CallerAccess {
        private final Principal principal;
        private final Set<String> userGroupIds;
        private final List<DeviceGroupRow> groups;
        private final Function<String, Set<String>> memberships;
        private final List<Rule> rules;
        private final Instant now;

        CallerAccess(Principal principal, Set<String> userGroupIds, List<DeviceGroupRow> groups,
                     Function<String, Set<String>> memberships, List<Rule> rules, Instant now) {
            this.principal = principal;
            this.userGroupIds = userGroupIds;
            this.groups = groups;
            this.memberships = memberships;
            this.rules = rules;
            this.now = now;
        }

        /** What the principal may do on {@code device} as it is (admins: everything). */
        public EffectiveAccess on(Device device) {
            return evaluate(device.facts());
        }

        /**
         * As if the device were active: a caller with rights learns why a secret is withheld
         * (409) while a caller without rights learns nothing (403).
         */
        public EffectiveAccess asIfActive(Device device) {
            return evaluate(new DeviceFacts(device.id(), device.hostname(), device.os(), false, true));
        }

        /**
         * True when the principal has any right on {@code device}, counting secret permissions
         * even while the device is disabled or unapproved: who may list and look the device up.
         */
        public boolean maySee(Device device) {
            return principal.admin() || !asIfActive(device).permissions().isEmpty();
        }

        /**
         * The devices {@link #maySee} can be true for, as a scope the database evaluates: every
         * target of the active rules that name this principal and grant anything (a group by its
         * explicit members and its match). A list pages in SQL with it and confirms each row with
         * {@link #maySee}.
         */
        public DeviceScope scope() {
            return scope(permissions -> !permissions.isEmpty());
        }

        /**
         * The devices {@code on(device).allows(permission)} can be true for: the targets of the
         * active rules that name this principal and grant {@code permission}. A list of what needs
         * that permission (just-in-time requests) pages in SQL with it and confirms each row.
         */
        public DeviceScope scope(Permission permission) {
            return scope(permissions -> permissions.contains(permission));
        }

        private DeviceScope scope(java.util.function.Predicate<Set<Permission>> grants) {
            if (principal.admin()) {
                return DeviceScope.ALL;
            }
            Set<PrincipalRef> me = new HashSet<>();
            me.add(PrincipalRef.user(principal.userId()));
            userGroupIds.forEach(id -> me.add(PrincipalRef.userGroup(id)));
            Set<String> deviceIds = new HashSet<>();
            Set<String> groupIds = new HashSet<>();
            for (Rule rule : rules) {
                if (!rule.activeAt(now) || !grants.test(rule.permissions()) || rule.principals().stream().noneMatch(me::contains)) {
                    continue;
                }
                for (TargetRef target : rule.targets()) {
                    switch (target.kind()) {
                        case ALL -> {
                            return DeviceScope.ALL;
                        }
                        case DEVICE -> deviceIds.add(target.id());
                        case DEVICE_GROUP -> groupIds.add(target.id());
                    }
                }
            }
            Set<String> explicit = new HashSet<>();
            Set<String> matched = new HashSet<>();
            List<DeviceMatch> filling = new ArrayList<>();
            for (DeviceGroupRow group : groups) {
                if (groupIds.contains(group.id())) {
                    explicit.add(group.id());
                    if (group.accessMatch() == null) {
                        continue;
                    }
                    if (group.matchFilling()) {
                        // Its rows are being filled (groups/DeviceGroupMatchFill) and may miss devices or
                        // hold an old match's: the match is tested on each device instead, until they are done.
                        filling.add(group.accessMatch());
                    } else {
                        // A saved match: its devices are rows of device_group_matches, kept by triggers.
                        matched.add(group.id());
                    }
                }
            }
            return new DeviceScope(false, deviceIds, explicit, matched, filling);
        }

        private EffectiveAccess evaluate(DeviceFacts facts) {
            List<DeviceGroup> seen = DeviceGroupRow.asSeenBy(groups, facts.id(), memberships.apply(facts.id()));
            EffectiveAccess access = AccessEvaluator.effective(principal.userId(), userGroupIds, facts, seen, rules, now);
            return principal.admin() ? withAllPermissions(access) : access;
        }

        private static EffectiveAccess withAllPermissions(EffectiveAccess access) {
            return new EffectiveAccess(EnumSet.allOf(Permission.class), access.matchingRules(), access.requireReason(),
                    access.rotateAfterReadMinutes(), access.channels());
        }
    }
}
