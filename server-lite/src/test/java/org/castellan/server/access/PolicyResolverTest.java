package org.castellan.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.castellan.server.testing.NoDatabase;
import org.junit.jupiter.api.Test;

@NoDatabase("no database, no server: the same on either backend")
class PolicyResolverTest {
    static final DeviceFacts WEB01 = new DeviceFacts("d1", "web-01.corp", "linux", false, true);

    static DeviceGroup match(String id, String name, String glob, String os) {
        return new DeviceGroup(id, name, Set.of(), DeviceMatch.of(glob, os));
    }

    @Test
    void deviceInNoPolicyGroupGetsTheDefault() {
        var choice = PolicyResolver.resolve(WEB01, List.of(match("g", "db", "db-*", null)), Map.of("g", "strict"));
        assertThat(choice.policyName()).isEqualTo("default");
        assertThat(choice.group()).isEmpty();
    }

    @Test
    void groupsWithoutAPolicyAreNotCandidates() {
        List<DeviceGroup> groups = List.of(new DeviceGroup("pinned", "pinned", Set.of("d1"), null),
                match("web", "web", "web-*", null));
        assertThat(PolicyResolver.resolve(WEB01, groups, Map.of("web", "web-policy")).policyName()).isEqualTo("web-policy");
    }

    @Test
    void explicitMembershipBeatsEvenTheLongestMatchPattern() {
        List<DeviceGroup> groups = List.of(
                match("exact", "aaa-exact", "web-01.corp", "linux"),
                new DeviceGroup("pinned", "zzz-pinned", Set.of("d1"), null));
        assertThat(PolicyResolver.resolve(WEB01, groups, Map.of("exact", "p-exact", "pinned", "p-pinned")).policyName())
                .isEqualTo("p-pinned");
    }

    @Test
    void longerLiteralHostnamePatternBeatsShorter() {
        List<DeviceGroup> groups = List.of(
                match("all-linux", "a", null, "linux"),
                match("web", "b", "web-*", null),
                match("web-corp", "c", "web-??.corp", null));
        assertThat(PolicyResolver.resolve(WEB01, groups,
                Map.of("all-linux", "p1", "web", "p2", "web-corp", "p3")).policyName()).isEqualTo("p3");
    }

    @Test
    void osOnlyMatchCountsAsNoLiteralCharacters() {
        List<DeviceGroup> groups = List.of(match("os", "a-os", null, "linux"), match("w", "z-w", "w*", null));
        assertThat(PolicyResolver.resolve(WEB01, groups, Map.of("os", "p-os", "w", "p-w")).policyName()).isEqualTo("p-w");
    }

    @Test
    void tiesGoToTheGroupNameInAscendingOrder() {
        // "web-*" and "*corp" both have 4 literal characters.
        List<DeviceGroup> tied = List.of(match("g1", "beta", "web-*", null), match("g2", "alpha", "*corp", null));
        assertThat(PolicyResolver.resolve(WEB01, tied, Map.of("g1", "p-beta", "g2", "p-alpha")).policyName())
                .isEqualTo("p-alpha");
        List<DeviceGroup> explicitTie = List.of(new DeviceGroup("x", "second", Set.of("d1"), null),
                new DeviceGroup("y", "first", Set.of("d1"), null));
        assertThat(PolicyResolver.resolve(WEB01, explicitTie, Map.of("x", "p-second", "y", "p-first")).policyName())
                .isEqualTo("p-first");
    }

    @Test
    void resultDoesNotDependOnTheOrderGroupsAreListed() {
        List<DeviceGroup> groups = new ArrayList<>(List.of(
                match("a", "same", "web-*", null), match("b", "same", "*corp", null),
                match("c", "other", "web-0*", null), match("d", "linux", null, "linux"),
                new DeviceGroup("e", "unrelated", Set.of("d9"), null)));
        Map<String, String> policies = Map.of("a", "pa", "b", "pb", "c", "pc", "d", "pd", "e", "pe");
        String first = PolicyResolver.resolve(WEB01, groups, policies).policyName();
        Random random = new Random(7);
        for (int i = 0; i < 50; i++) {
            Collections.shuffle(groups, random);
            assertThat(PolicyResolver.resolve(WEB01, groups, policies).policyName()).isEqualTo(first);
        }
        // "web-0*" has 5 literals, "*corp" 4, "web-*" 4, the OS match 0.
        assertThat(first).isEqualTo("pc");
    }

    @Test
    void sameNameTieIsBrokenByGroupId() {
        List<DeviceGroup> groups = List.of(match("b", "same", "web-*", null), match("a", "same", "*corp", null));
        assertThat(PolicyResolver.resolve(WEB01, groups, Map.of("a", "pa", "b", "pb")).policyName()).isEqualTo("pa");
    }
}
