package org.castellan.server.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.castellan.server.access.Permission.DEVICE_MANAGE;
import static org.castellan.server.access.Permission.DEVICE_ROTATE;
import static org.castellan.server.access.Permission.PASSWORD_HISTORY;
import static org.castellan.server.access.Permission.PASSWORD_READ;
import static org.castellan.server.access.Permission.RECOVERY_KEY_READ;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.castellan.server.testing.NoDatabase;
import org.junit.jupiter.api.Test;

@NoDatabase("no database, no server: the same on either backend")
class EffectiveAccessTest {
    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    static final DeviceFacts DEVICE = new DeviceFacts("d1", "web-01", "linux", false, true);
    static final List<DeviceGroup> GROUPS = List.of(
            new DeviceGroup("web", "web", Set.of(), DeviceMatch.of("web-*", null)));

    static Rule rule(String id, Set<Permission> perms, boolean reason, Integer rotate, List<String> channels) {
        return new Rule(id, id, List.of(PrincipalRef.userGroup("g")), List.of(TargetRef.deviceGroup("web")),
                perms, reason, rotate, channels, null, false);
    }

    EffectiveAccess evaluate(Rule... rules) {
        return AccessEvaluator.effective("u", Set.of("g"), DEVICE, GROUPS, List.of(rules), NOW);
    }

    @Test
    void permissionsAreTheUnionOfMatchingRulesAndAllRulesAreCitedSortedById() {
        EffectiveAccess access = evaluate(
                rule("r2", Set.of(PASSWORD_READ), false, null, List.of()),
                rule("r1", Set.of(DEVICE_ROTATE, PASSWORD_HISTORY), false, null, List.of()));
        assertThat(access.permissions()).containsExactlyInAnyOrder(PASSWORD_READ, DEVICE_ROTATE, PASSWORD_HISTORY);
        assertThat(access.ruleIds()).containsExactly("r1", "r2");
        assertThat(access.rulesGranting(PASSWORD_READ)).extracting(Rule::id).containsExactly("r2");
        assertThat(access.rulesGranting(DEVICE_MANAGE)).isEmpty();
    }

    @Test
    void anyPasswordReadRuleRequiringAReasonMakesTheReasonRequired() {
        assertThat(evaluate(rule("a", Set.of(PASSWORD_READ), false, null, List.of()),
                rule("b", Set.of(PASSWORD_READ), true, null, List.of())).requireReason()).isTrue();
        assertThat(evaluate(rule("a", Set.of(PASSWORD_READ), false, null, List.of())).requireReason()).isFalse();
    }

    @Test
    void reasonFlagOnARuleThatDoesNotGrantPasswordReadDoesNotApplyToReads() {
        EffectiveAccess access = evaluate(rule("a", Set.of(PASSWORD_READ), false, null, List.of()),
                rule("b", Set.of(RECOVERY_KEY_READ), true, 5, List.of()));
        assertThat(access.requireReason()).isFalse();
        assertThat(access.rotateAfterReadMinutes()).isNull();
        assertThat(access.requiresReasonFor(RECOVERY_KEY_READ)).isTrue();
        assertThat(access.requiresReasonFor(PASSWORD_READ)).isFalse();
    }

    @Test
    void rotateAfterReadIsTheSmallestAmongPasswordReadRules() {
        EffectiveAccess access = evaluate(
                rule("a", Set.of(PASSWORD_READ), false, 240, List.of()),
                rule("b", Set.of(PASSWORD_READ, DEVICE_ROTATE), false, 30, List.of()),
                rule("c", Set.of(PASSWORD_READ), false, null, List.of()));
        assertThat(access.rotateAfterReadMinutes()).isEqualTo(30);
    }

    @Test
    void channelsAreTheUnionOfMatchingRulesAndCanBeNarrowedToOnePermission() {
        EffectiveAccess access = evaluate(
                rule("a", Set.of(PASSWORD_READ), false, null, List.of("slack", "siem")),
                rule("b", Set.of(DEVICE_MANAGE), false, null, List.of("ops")));
        assertThat(access.channels()).containsExactlyInAnyOrder("slack", "siem", "ops");
        assertThat(access.channelsFor(PASSWORD_READ)).containsExactly("siem", "slack");
    }

    @Test
    void expiredRulesContributeNothingEvenTheirChannelsOrReasonFlag() {
        Rule expired = new Rule("old", "old", List.of(PrincipalRef.user("u")), List.of(TargetRef.ALL),
                Set.of(PASSWORD_READ), true, 1, List.of("x"), NOW.minusMillis(1), false);
        EffectiveAccess access = evaluate(rule("a", Set.of(PASSWORD_READ), false, null, List.of()), expired);
        assertThat(access.ruleIds()).containsExactly("a");
        assertThat(access.requireReason()).isFalse();
        assertThat(access.rotateAfterReadMinutes()).isNull();
        assertThat(access.channels()).isEmpty();
    }

    @Test
    void disabledDeviceKeepsManagementPermissionsButCitesOnlyRulesThatStillGrantSomething() {
        DeviceFacts disabled = new DeviceFacts("d1", "web-01", "linux", true, true);
        EffectiveAccess access = AccessEvaluator.effective("u", Set.of("g"), disabled, GROUPS, List.of(
                rule("read", Set.of(PASSWORD_READ, RECOVERY_KEY_READ), true, 10, List.of("slack")),
                rule("manage", Set.of(DEVICE_MANAGE, PASSWORD_READ), false, null, List.of())), NOW);
        assertThat(access.permissions()).containsExactly(DEVICE_MANAGE);
        assertThat(access.ruleIds()).containsExactly("manage");
        assertThat(access.requireReason()).isFalse();
        assertThat(access.channels()).isEmpty();
    }

    @Test
    void instanceEvaluatorUsesTheInjectedClockForExpiry() {
        Rule expiresSoon = new Rule("r", "r", List.of(PrincipalRef.user("u")), List.of(TargetRef.ALL),
                Set.of(PASSWORD_READ), false, null, List.of(), NOW.plusSeconds(60), false);
        AccessEvaluator before = new AccessEvaluator(Clock.fixed(NOW, ZoneOffset.UTC));
        AccessEvaluator after = new AccessEvaluator(Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC));
        assertThat(before.effective("u", Set.of(), DEVICE, GROUPS, List.of(expiresSoon)).allows(PASSWORD_READ)).isTrue();
        assertThat(after.effective("u", Set.of(), DEVICE, GROUPS, List.of(expiresSoon)).allows(PASSWORD_READ)).isFalse();
    }

    @Test
    void groupPrincipalAloneShowsWhatMembershipGrants() {
        Rule forGroup = rule("g-rule", Set.of(PASSWORD_READ), false, null, List.of());
        Rule forUser = new Rule("u-rule", "u", List.of(PrincipalRef.user("u")), List.of(TargetRef.ALL),
                Set.of(DEVICE_MANAGE), false, null, List.of(), null, false);
        EffectiveAccess access = AccessEvaluator.effectiveFor(Set.of(PrincipalRef.userGroup("g")), DEVICE, GROUPS,
                List.of(forGroup, forUser), NOW);
        assertThat(access.permissions()).containsExactly(PASSWORD_READ);
        assertThat(access.ruleIds()).containsExactly("g-rule");
    }
}
