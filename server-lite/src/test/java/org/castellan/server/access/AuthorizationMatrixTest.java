package org.castellan.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.castellan.server.testing.NoDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The authorization matrix at the evaluator level: every permission × target situation × way
 * of being the principal, each asserting the exact set of permissions granted.
 */
@NoDatabase("no database, no server: the same on either backend")
class AuthorizationMatrixTest {
    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    static final String USER = "u1";
    static final String USER_GROUP = "helpdesk";
    static final DeviceFacts DEVICE = new DeviceFacts("d1", "web-01.example.com", "linux", false, true);

    // d1 is an explicit member of "mine-explicit" and matches "mine-match"; "other" holds d2 and
    // matches db-* hosts only.
    static final List<DeviceGroup> GROUPS = List.of(
            new DeviceGroup("mine-explicit", "pinned", Set.of("d1"), null),
            new DeviceGroup("mine-match", "web servers", Set.of(), DeviceMatch.of("web-*", "linux")),
            new DeviceGroup("other", "databases", Set.of("d2"), DeviceMatch.of("db-*", null)));

    enum Situation {
        NO_RULE, RULE_ON_DEVICE, RULE_ON_EXPLICIT_GROUP, RULE_ON_MATCH_GROUP, RULE_ON_ALL,
        RULE_ON_OTHER_GROUP, RULE_ON_OTHER_DEVICE, EXPIRED_RULE, RULE_EXPIRING_NOW, DISABLED_RULE,
        DISABLED_DEVICE, UNAPPROVED_DEVICE
    }

    enum PrincipalKind { USER_ITSELF, GROUP_MEMBER, OTHER_USER, OTHER_USER_GROUP }

    static Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (Permission p : Permission.values()) {
            for (Situation s : Situation.values()) {
                for (PrincipalKind k : PrincipalKind.values()) {
                    cases.add(Arguments.of(p, s, k));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} / {1} / {2}")
    @MethodSource("matrix")
    void grantsExactlyWhatTheRuleSaysAndNothingElse(Permission permission, Situation situation, PrincipalKind kind) {
        PrincipalRef principal = switch (kind) {
            case USER_ITSELF -> PrincipalRef.user(USER);
            case GROUP_MEMBER -> PrincipalRef.userGroup(USER_GROUP);
            case OTHER_USER -> PrincipalRef.user("u2");
            case OTHER_USER_GROUP -> PrincipalRef.userGroup("admins-elsewhere");
        };
        TargetRef target = switch (situation) {
            case RULE_ON_EXPLICIT_GROUP -> TargetRef.deviceGroup("mine-explicit");
            case RULE_ON_MATCH_GROUP -> TargetRef.deviceGroup("mine-match");
            case RULE_ON_ALL -> TargetRef.ALL;
            case RULE_ON_OTHER_GROUP -> TargetRef.deviceGroup("other");
            case RULE_ON_OTHER_DEVICE -> TargetRef.device("d2");
            default -> TargetRef.device("d1");
        };
        Instant expiresAt = switch (situation) {
            case EXPIRED_RULE -> NOW.minusSeconds(1);
            case RULE_EXPIRING_NOW -> NOW;
            default -> NOW.plusSeconds(3600);
        };
        DeviceFacts device = switch (situation) {
            case DISABLED_DEVICE -> new DeviceFacts("d1", DEVICE.hostname(), "linux", true, true);
            case UNAPPROVED_DEVICE -> new DeviceFacts("d1", DEVICE.hostname(), "linux", false, false);
            default -> DEVICE;
        };
        List<Rule> rules = situation == Situation.NO_RULE ? List.of() : List.of(
                new Rule("r1", "the rule", List.of(principal), List.of(target), Set.of(permission),
                        false, null, List.of(), expiresAt, situation == Situation.DISABLED_RULE));

        EffectiveAccess access = AccessEvaluator.effective(USER, Set.of(USER_GROUP), device, GROUPS, rules, NOW);

        boolean principalMatches = kind == PrincipalKind.USER_ITSELF || kind == PrincipalKind.GROUP_MEMBER;
        boolean granted = principalMatches && switch (situation) {
            case RULE_ON_DEVICE, RULE_ON_EXPLICIT_GROUP, RULE_ON_MATCH_GROUP, RULE_ON_ALL -> true;
            case DISABLED_DEVICE, UNAPPROVED_DEVICE -> !permission.revealsSecret();
            default -> false;
        };
        if (granted) {
            assertThat(access.permissions()).containsExactly(permission);
            assertThat(access.ruleIds()).containsExactly("r1");
        } else {
            assertThat(access.permissions()).isEmpty();
            assertThat(access.matchingRules()).isEmpty();
            assertThat(access).isEqualTo(EffectiveAccess.NONE);
        }
    }

    @Test
    void secretPermissionsAreExactlyTheReadingOnes() {
        assertThat(Stream.of(Permission.values()).filter(Permission::revealsSecret))
                .containsExactlyInAnyOrder(Permission.PASSWORD_READ, Permission.PASSWORD_HISTORY,
                        Permission.RECOVERY_KEY_READ);
    }

    static Stream<Arguments> groupsAandB() {
        DeviceGroup a = new DeviceGroup("ga", "group A", Set.of("a1"), DeviceMatch.of("alpha-*", null));
        DeviceGroup b = new DeviceGroup("gb", "group B", Set.of("b1"), DeviceMatch.of("beta-*", null));
        return Stream.of(
                Arguments.of(a, b, new DeviceFacts("b1", "host-1", "linux", false, true)),
                Arguments.of(a, b, new DeviceFacts("b2", "beta-7", "windows", false, true)),
                // An id that only differs by case from a member of A is still not in A.
                Arguments.of(a, b, new DeviceFacts("A1", "beta-x", "linux", false, true)));
    }

    @ParameterizedTest
    @MethodSource("groupsAandB")
    void ruleOnGroupANeverGrantsADeviceInGroupB(DeviceGroup a, DeviceGroup b, DeviceFacts deviceInB) {
        Rule onA = new Rule("r-a", "A only", List.of(PrincipalRef.user(USER)), List.of(TargetRef.deviceGroup(a.id())),
                Set.of(Permission.values()), false, null, List.of(), null, false);
        assertThat(b.contains(deviceInB)).isTrue();
        assertThat(a.contains(deviceInB)).isFalse();
        assertThat(AccessEvaluator.effective(USER, Set.of(), deviceInB, List.of(a, b), List.of(onA), NOW))
                .isEqualTo(EffectiveAccess.NONE);
    }

    @Test
    void ruleNamingAGroupIdThatDoesNotExistGrantsNothing() {
        Rule ghost = new Rule("r", "ghost", List.of(PrincipalRef.user(USER)), List.of(TargetRef.deviceGroup("gone")),
                Set.of(Permission.PASSWORD_READ), false, null, List.of(), null, false);
        assertThat(AccessEvaluator.effective(USER, Set.of(), DEVICE, GROUPS, List.of(ghost), NOW).permissions()).isEmpty();
    }

    @Test
    void userGroupRuleDoesNotGrantAUserWhoseIdEqualsTheGroupId() {
        // user:helpdesk and user-group:helpdesk are different principals.
        Rule forGroup = new Rule("r", "g", List.of(PrincipalRef.userGroup("helpdesk")), List.of(TargetRef.ALL),
                Set.of(Permission.PASSWORD_READ), false, null, List.of(), null, false);
        assertThat(AccessEvaluator.effective("helpdesk", Set.of(), DEVICE, GROUPS, List.of(forGroup), NOW).permissions())
                .isEmpty();
    }

    @Test
    void deviceGroupIdIsNotConfusedWithADeviceIdOfTheSameValue() {
        Rule onDeviceNamedLikeGroup = new Rule("r", "x", List.of(PrincipalRef.user(USER)),
                List.of(TargetRef.device("mine-explicit")), Set.of(Permission.PASSWORD_READ), false, null, List.of(),
                null, false);
        assertThat(AccessEvaluator.effective(USER, Set.of(), DEVICE, GROUPS, List.of(onDeviceNamedLikeGroup), NOW)
                .permissions()).isEmpty();
    }
}
