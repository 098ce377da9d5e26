package org.castellan.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.castellan.server.audit.AuditActions;
import org.castellan.server.testing.OneServerPerClass;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: a device group's members are paged in the database
 * ({@code GET /api/v1/device-groups/{id}/members}) and changed a batch at a time
 * ({@code POST .../members {"add":[…], "remove":[…]}}); the group's JSON counts them instead of
 * listing them. Over real HTTPS, on SQLite and on PostgreSQL (the suite's two executions).
 */
class DeviceGroupMembersTest extends OneServerPerClass {
    static final String TAG = UUID.randomUUID().toString().substring(0, 6);
    /** Five devices the group's pattern matches, four it does not. */
    static final List<TestAgent> WEB = new ArrayList<>();
    static final List<TestAgent> DB = new ArrayList<>();

    @BeforeAll
    static void fleet() throws Exception {
        for (int i = 0; i < 5; i++) {
            WEB.add(device("mem-" + TAG + "-web-" + i));
        }
        for (int i = 0; i < 4; i++) {
            DB.add(device("mem-" + TAG + "-db-" + i));
        }
    }

    static TestAgent device(String hostname) throws Exception {
        TestAgent agent = new TestAgent(server);
        agent.clock = clock;
        agent.hostname = hostname;
        return agent.registered();
    }

    /** Two web and two db devices listed, every web device matched: seven devices, two both ways. */
    static String mixedGroup(String label) throws Exception {
        return admin.deviceGroup(label + " " + TAG, List.of(WEB.get(0).deviceId, WEB.get(1).deviceId, DB.get(0).deviceId,
                DB.get(1).deviceId), Map.of("hostname", "mem-" + TAG + "-web-*"), null);
    }

    static String members(String group) {
        return "/api/v1/device-groups/" + group + "/members";
    }

    /** Every member, page by page, following X-Next-Cursor; each page at most {@code limit}, full unless last. */
    static List<JsonNode> walk(String group, int limit) throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        String cursor = null;
        for (int pages = 0; pages < 100; pages++) {
            String url = members(group) + "?limit=" + limit
                    + (cursor == null ? "" : "&after=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            TestServer.Reply reply = server.get(url);
            assertThat(reply.status()).as("%s: %s", url, reply.body()).isEqualTo(200);
            reply.json().forEach(rows::add);
            cursor = reply.header("X-Next-Cursor");
            if (cursor == null) {
                assertThat(reply.json().size()).isLessThanOrEqualTo(limit);
                return rows;
            }
            assertThat(reply.json().size()).as("a page with a next cursor is full").isEqualTo(limit);
        }
        throw new AssertionError("paging did not end");
    }

    static List<String> ids(List<JsonNode> rows) {
        return rows.stream().map(r -> r.get("id").asText()).toList();
    }

    static List<String> explicitIds(String group) throws Exception {
        return walk(group, 1000).stream().filter(r -> r.get("explicit").asBoolean()).map(r -> r.get("id").asText())
                .toList();
    }

    static List<String> sorted(List<String> ids) {
        return ids.stream().sorted().toList();
    }

    static TestServer.Reply change(String group, Object body) throws Exception {
        return server.post(members(group), body);
    }

    static List<JsonNode> updates(String group) throws Exception {
        return admin.audit("action=" + AuditActions.DEVICE_GROUP_UPDATE).stream()
                .filter(r -> r.get("detail").asText().contains("device-group:" + group)).toList();
    }

    @Test
    void membersPageInIdOrderEachOnceSayingHowTheyBelong() throws Exception {
        String group = mixedGroup("paged");
        List<String> expected = new ArrayList<>();
        WEB.forEach(a -> expected.add(a.deviceId));
        expected.add(DB.get(0).deviceId);
        expected.add(DB.get(1).deviceId);

        List<JsonNode> whole = walk(group, 1000);
        assertThat(ids(whole)).as("one page: every device once, in id order").containsExactlyElementsOf(sorted(expected));
        for (int limit : new int[] {1, 2, 3, 6, 7}) {
            assertThat(walk(group, limit)).as("pages of %d", limit).containsExactlyElementsOf(whole);
        }
        for (JsonNode m : whole) {
            String id = m.get("id").asText();
            boolean web = WEB.stream().anyMatch(a -> a.deviceId.equals(id));
            boolean listed = id.equals(WEB.get(0).deviceId) || id.equals(WEB.get(1).deviceId)
                    || id.equals(DB.get(0).deviceId) || id.equals(DB.get(1).deviceId);
            assertThat(m.get("matched").asBoolean()).as(id).isEqualTo(web);
            assertThat(m.get("explicit").asBoolean()).as(id).isEqualTo(listed);
            assertThat(m.get("deleted").asBoolean()).isFalse();
            assertThat(m.get("hostname").asText()).startsWith("mem-" + TAG);
        }
    }

    @Test
    void theGroupCountsItsMembersInsteadOfListingThem() throws Exception {
        String group = mixedGroup("counted");
        JsonNode one = server.get("/api/v1/device-groups/" + group).json();
        assertThat(one.has("devices")).as("no unbounded member list: %s", one).isFalse();
        assertThat(one.get("memberCount").asLong()).isEqualTo(4);
        assertThat(one.get("matchedCount").asLong()).isEqualTo(5);
        JsonNode listed = null;
        for (JsonNode g : server.get("/api/v1/device-groups?limit=1000").json()) {
            assertThat(g.has("devices")).isFalse();
            if (g.get("id").asText().equals(group)) {
                listed = g;
            }
        }
        assertThat(listed).as("the list shows the same group as GET one").isEqualTo(one);

        String explicitOnly = admin.deviceGroup("explicit " + TAG, List.of(DB.get(2).deviceId), null, null);
        JsonNode e = server.get("/api/v1/device-groups/" + explicitOnly).json();
        assertThat(e.get("memberCount").asLong()).isEqualTo(1);
        assertThat(e.get("matchedCount").isNull()).as("no match, no matched count").isTrue();

        // A deleted member stays (its secrets stay reachable through the group until purged), marked deleted.
        TestAgent gone = device("mem-" + TAG + "-gone");
        String withGone = admin.deviceGroup("with gone " + TAG, List.of(gone.deviceId), null, null);
        assertThat(server.delete("/api/v1/devices/" + gone.deviceId).status()).isEqualTo(204);
        assertThat(walk(withGone, 10)).singleElement().satisfies(m -> {
            assertThat(m.get("id").asText()).isEqualTo(gone.deviceId);
            assertThat(m.get("deleted").asBoolean()).isTrue();
        });
        assertThat(server.get("/api/v1/device-groups/" + withGone).json().get("memberCount").asLong()).isEqualTo(1);
    }

    @Test
    void pagingIsBoundedAndACursorThatIsNoneIsRefused() throws Exception {
        String group = mixedGroup("bounds");
        for (String limit : List.of("0", "-1", "1001", "lots")) {
            TestServer.Reply reply = server.get(members(group) + "?limit=" + limit);
            assertThat(reply.status()).as("limit=%s", limit).isEqualTo(400);
            assertThat(reply.error()).isEqualTo("invalid-limit");
        }
        for (String after : List.of("not!a+cursor", "AAAA", "eDE6YWJj")) {
            TestServer.Reply reply = server.get(members(group) + "?after=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
            assertThat(reply.status()).as("after=%s", after).isEqualTo(400);
            assertThat(reply.error()).isEqualTo("invalid-after");
        }
        assertThat(server.get(members(group) + "?limit=1000").json()).hasSize(7);
        TestServer.Reply unknown = server.get(members(UUID.randomUUID().toString()));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.error()).isEqualTo("device-group-not-found");
    }

    @Test
    void aNonAdminCannotListOrChangeMembersAndLearnsNothingOfWhichGroupsExist() throws Exception {
        String group = mixedGroup("hidden");
        String user = admin.user("mem-hd-" + TAG, null);
        admin.rule(Map.of("principals", List.of("user:" + user), "targets", List.of("device-group:" + group),
                "permissions", List.of("password.read")));
        String token = admin.token(user);
        TestServer.Reply real = server.getWithToken(members(group), token);
        TestServer.Reply missing = server.getWithToken(members(UUID.randomUUID().toString()), token);
        assertThat(real.status()).isEqualTo(403);
        assertThat(missing.status()).isEqualTo(403);
        assertThat(real.body()).as("the same answer for a group that exists and one that does not")
                .isEqualTo(missing.body());
        TestServer.Reply post = server.sendWithToken("POST", members(group),
                Map.of("remove", List.of(WEB.get(0).deviceId)), token);
        assertThat(post.status()).isEqualTo(403);
        assertThat(explicitIds(group)).hasSize(4);
    }

    @Test
    void membersAreAddedByIdOrHostNameAndRemovedAudited() throws Exception {
        String group = admin.deviceGroup("edited " + TAG, List.of(DB.get(0).deviceId), null, null);
        TestServer.Reply added = change(group, Map.of("add", List.of(DB.get(1).deviceId, DB.get(2).hostname.toUpperCase()),
                "remove", List.of(DB.get(0).deviceId)));
        assertThat(added.status()).as(added.body()).isEqualTo(200);
        assertThat(added.json().get("added").asInt()).isEqualTo(2);
        assertThat(added.json().get("removed").asInt()).isEqualTo(1);
        assertThat(added.json().get("memberCount").asLong()).isEqualTo(2);
        assertThat(explicitIds(group)).containsExactlyElementsOf(sorted(List.of(DB.get(1).deviceId, DB.get(2).deviceId)));
        assertThat(server.get("/api/v1/device-groups/" + group).json().get("memberCount").asLong()).isEqualTo(2);
        assertThat(updates(group)).singleElement().satisfies(r -> {
            assertThat(r.get("outcome").asText()).isEqualTo("ok");
            assertThat(r.get("detail").asText()).contains("added").contains(DB.get(1).deviceId)
                    .contains(DB.get(2).deviceId).contains("removed [" + DB.get(0).deviceId + "]");
        });

        // Adding a member again, removing a non-member: no change, nothing on record.
        TestServer.Reply same = change(group, Map.of("add", List.of(DB.get(1).deviceId), "remove",
                List.of(DB.get(0).deviceId)));
        assertThat(same.status()).isEqualTo(200);
        assertThat(same.json().get("added").asInt()).isZero();
        assertThat(same.json().get("removed").asInt()).isZero();
        assertThat(updates(group)).hasSize(1);

        // The member change reaches access: a rule on the group now covers the added device.
        String user = admin.user("mem-reader-" + TAG, null);
        admin.rule(Map.of("principals", List.of("user:" + user), "targets", List.of("device-group:" + group),
                "permissions", List.of("password.read")));
        String token = admin.token(user);
        assertThat(server.getWithToken("/api/v1/devices/" + DB.get(2).deviceId, token).status()).isEqualTo(200);
        assertThat(server.getWithToken("/api/v1/devices/" + DB.get(0).deviceId, token).status()).isEqualTo(403);
    }

    @Test
    void aRefusedChangeNamesTheProblemAndChangesNothing() throws Exception {
        String group = admin.deviceGroup("refused " + TAG, List.of(DB.get(0).deviceId), null, null);
        TestAgent gone = device("mem-" + TAG + "-deleted");
        assertThat(server.delete("/api/v1/devices/" + gone.deviceId).status()).isEqualTo(204);
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            many.add("host-" + i);
        }
        record Case(Object body, String error, String says) {}
        List<Case> cases = List.of(
                new Case(Map.of("add", List.of(DB.get(1).deviceId, "no-such-host-" + TAG)), "invalid-devices",
                        "no-such-host-" + TAG),
                new Case(Map.of("add", List.of(DB.get(1).deviceId), "remove", List.of(UUID.randomUUID().toString())),
                        "invalid-devices", "'remove'"),
                new Case(Map.of("add", List.of(DB.get(1).deviceId, gone.deviceId)), "invalid-devices", "which was deleted"),
                new Case(Map.of("add", List.of(DB.get(1).deviceId), "remove", List.of(DB.get(1).hostname)),
                        "invalid-members", "both"),
                new Case(Map.of("add", many), "too-many-devices", "1000"),
                new Case(Map.of(), "invalid-members", "add"),
                new Case(Map.of("add", List.of("")), "invalid-devices", "'add'"),
                new Case(Map.of("add", List.of(DB.get(1).deviceId), "devices", List.of()), null, null),
                new Case(Map.of("add", DB.get(1).deviceId), null, null));
        for (Case c : cases) {
            TestServer.Reply reply = change(group, c.body());
            assertThat(reply.status()).as("%s: %s", c.body().toString().substring(0, Math.min(120,
                    c.body().toString().length())), reply.body()).isEqualTo(400);
            if (c.error() != null) {
                assertThat(reply.error()).isEqualTo(c.error());
                assertThat(reply.json().get("message").asText()).contains(c.says());
            }
        }
        TestServer.Reply unknown = change(UUID.randomUUID().toString(), Map.of("add", List.of(DB.get(1).deviceId)));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.error()).isEqualTo("device-group-not-found");
        assertThat(explicitIds(group)).as("nothing half-written").containsExactly(DB.get(0).deviceId);
        assertThat(updates(group)).as("nothing on record as a change").isEmpty();
    }

    @Test
    void whatGetReturnsPutTakesBackKeepingTheMembersAndAListStillReplacesThem() throws Exception {
        String group = mixedGroup("put");
        String path = "/api/v1/device-groups/" + group;
        JsonNode got = server.get(path).json();
        ObjectNode renamed = got.deepCopy();
        renamed.put("name", "put renamed " + TAG);
        TestServer.Reply put = server.put(path, renamed);
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(put.json().get("memberCount").asLong()).as("members kept without a devices field").isEqualTo(4);
        assertThat(explicitIds(group)).hasSize(4);

        ObjectNode replaced = renamed.deepCopy();
        replaced.putArray("devices").add(DB.get(3).deviceId);
        assertThat(server.put(path, replaced).json().get("memberCount").asLong()).isEqualTo(1);
        assertThat(explicitIds(group)).containsExactly(DB.get(3).deviceId);
        assertThat(ids(walk(group, 2))).as("matched devices stay, whatever the list")
                .containsAll(WEB.stream().map(a -> a.deviceId).toList());
        assertThat(walk(group, 2)).isSortedAccordingTo(Comparator.comparing(r -> r.get("id").asText()));
    }
}
