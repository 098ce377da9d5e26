package org.castellan.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.castellan.server.testing.OneServerPerClass;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.Test;

/**
 * The admin lists page in the database, over HTTPS on a real server (SQLite, and PostgreSQL in the
 * second execution): for each list, more items than a page, walked by following
 * {@code X-Next-Cursor}, give every item exactly once, in the list's order (id; registration keys
 * oldest first; just-in-time requests newest first), with full pages before the last and no cursor
 * on the last; the same items and bodies as one big page; a page size out of bounds and a forged
 * cursor are 400. A non-admin walking the just-in-time list sees exactly the requests on devices
 * their rules give {@code device.jit} on, across pages.
 */
class ListPagingTest extends OneServerPerClass {
    private static final int ITEMS = 20;
    private static final int LIMIT = 7;

    /** Every row of {@code path}, page by page ({@code ?limit=}), as {@code token} (null: the admin). */
    private static List<JsonNode> walk(String path, int limit, String token) throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        String cursor = null;
        for (int pages = 0; pages < 1_000; pages++) {
            String url = path + (path.contains("?") ? "&" : "?") + "limit=" + limit
                    + (cursor == null ? "" : "&after=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            TestServer.Reply reply = token == null ? server.get(url) : server.getWithToken(url, token);
            assertThat(reply.status()).as("%s: %s", url, reply.body()).isEqualTo(200);
            JsonNode page = reply.json();
            assertThat(page.isArray()).as(url).isTrue();
            page.forEach(rows::add);
            cursor = reply.header("X-Next-Cursor");
            if (cursor == null) {
                assertThat(page.size()).as("the last page of %s", url).isLessThanOrEqualTo(limit);
                return rows;
            }
            assertThat(page.size()).as("a page with a next cursor is full: %s", url).isEqualTo(limit);
        }
        throw new AssertionError("paging of " + path + " did not end");
    }

    /** One page as big as the API allows (all of this class's items fit): what the walk must equal. */
    private static List<JsonNode> onePage(String path, String token) throws Exception {
        String url = path + (path.contains("?") ? "&" : "?") + "limit=1000";
        TestServer.Reply reply = token == null ? server.get(url) : server.getWithToken(url, token);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.header("X-Next-Cursor")).as("everything fits one page of 1000").isNull();
        List<JsonNode> rows = new ArrayList<>();
        reply.json().forEach(rows::add);
        return rows;
    }

    private static List<String> ids(List<JsonNode> rows) {
        return rows.stream().map(r -> r.get("id").asText()).toList();
    }

    /**
     * Walks {@code path} in pages of {@link #LIMIT} and of 1: every created item once, the walk equal
     * (order and bodies) to one big page, in id order unless {@code order} says otherwise; the bounds hold.
     */
    private static List<JsonNode> assertPages(String path, List<String> created, Comparator<JsonNode> order)
            throws Exception {
        List<JsonNode> whole = onePage(path, null);
        List<JsonNode> walked = walk(path, LIMIT, null);
        assertThat(walked).as("%s in pages of %d: the same rows and bodies as one page", path, LIMIT)
                .containsExactlyElementsOf(whole);
        assertThat(walk(path, 1, null)).as("%s in pages of 1", path).containsExactlyElementsOf(whole);
        assertThat(ids(walked)).as(path).doesNotHaveDuplicates().containsAll(created);
        assertThat(walked.size()).as("more than one page").isGreaterThan(LIMIT);
        assertThat(walked).as("%s in its order", path).isSortedAccordingTo(order);
        assertBounded(path);
        return walked;
    }

    private static Comparator<JsonNode> byId() {
        return Comparator.comparing(r -> r.get("id").asText());
    }

    private static void assertBounded(String path) throws Exception {
        for (String limit : List.of("1001", "0", "-1", "lots")) {
            TestServer.Reply reply = server.get(path + "?limit=" + limit);
            assertThat(reply.status()).as("%s?limit=%s", path, limit).isEqualTo(400);
            assertThat(reply.error()).isEqualTo("invalid-limit");
        }
        TestServer.Reply forged = server.get(path + "?after=not!a+cursor");
        assertThat(forged.status()).as(path + " with a forged cursor").isEqualTo(400);
        assertThat(forged.error()).isEqualTo("invalid-after");
    }

    private static String cursorOf(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("k1:" + key).getBytes(StandardCharsets.UTF_8));
    }

    private static String created(TestServer.Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("id").asText();
    }

    @Test
    void userGroupsPageByIdWithTheirMembers() throws Exception {
        String ann = admin.user("ann-" + UUID.randomUUID().toString().substring(0, 6), null);
        List<String> created = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            created.add(i % 3 == 0 ? admin.userGroup("ug-" + i, ann) : admin.userGroup("ug-" + i));
        }
        List<JsonNode> walked = assertPages("/api/v1/user-groups", created, byId());
        assertThat(walked).filteredOn(g -> g.get("id").asText().equals(created.get(3))).singleElement()
                .satisfies(g -> assertThat(g.get("members").get(0).asText()).isEqualTo(ann));
    }

    @Test
    void rulesPageById() throws Exception {
        String bob = admin.user("bob-" + UUID.randomUUID().toString().substring(0, 6), null);
        List<String> created = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            created.add(admin.rule(Map.of("name", "rule-" + i, "principals", List.of("user:" + bob),
                    "targets", List.of("all"), "permissions", List.of("password.read"))));
        }
        List<JsonNode> walked = assertPages("/api/v1/rules", created, byId());
        assertThat(walked).filteredOn(r -> created.contains(r.get("id").asText()))
                .allSatisfy(r -> assertThat(r.get("principals").get(0).asText()).isEqualTo("user:" + bob));
    }

    @Test
    void channelsPageById() throws Exception {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            created.add(created(server.post("/api/v1/channels", Map.of("name", "hook-" + i, "type", "webhook",
                    "url", "https://hooks.example.invalid/" + i, "secret", "a-signing-secret-" + i))));
        }
        List<JsonNode> walked = assertPages("/api/v1/channels", created, byId());
        assertThat(walked).allSatisfy(c -> assertThat(c.has("secret")).as("never the secret").isFalse());
    }

    @Test
    void deviceGroupsPageByIdWithTheirMembers() throws Exception {
        TestAgent one = agent();
        TestAgent two = agent();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            List<String> members = i % 2 == 0 ? List.of(one.deviceId, two.deviceId) : List.of();
            created.add(admin.deviceGroup("dg-" + i, members, i % 2 == 0 ? null : Map.of("hostname", "web-" + i + "-*"),
                    null));
        }
        List<JsonNode> walked = assertPages("/api/v1/device-groups", created, byId());
        assertThat(walked).filteredOn(g -> g.get("id").asText().equals(created.get(4))).singleElement()
                .satisfies(g -> {
                    assertThat(g.get("memberCount").asLong()).isEqualTo(2);
                    assertThat(g.has("devices")).as("members are counted, not listed").isFalse();
                });
        assertThat(walked).filteredOn(g -> g.get("id").asText().equals(created.get(5))).singleElement()
                .satisfies(g -> {
                    assertThat(g.get("memberCount").asLong()).isZero();
                    assertThat(g.get("matchedCount").asLong()).isZero();
                    assertThat(g.get("match").get("hostname").asText()).isEqualTo("web-5-*");
                });
    }

    @Test
    void registrationKeysPageOldestFirstTiesById() throws Exception {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            if (i % 4 == 0) {
                // Groups of keys made at one instant: the cursor must break the tie by id.
                clock.advance(Duration.ofSeconds(1));
            }
            created.add(created(server.post("/api/v1/registration-keys", Map.of("name", "key-" + i))));
        }
        List<JsonNode> walked = assertPages("/api/v1/registration-keys", created,
                Comparator.<JsonNode, Instant>comparing(k -> Instant.parse(k.get("createdAt").asText()))
                        .thenComparing(k -> k.get("id").asText()));
        assertThat(walked).noneSatisfy(k -> assertThat(k.has("key")).isTrue());
        TestServer.Reply notATime = server.get("/api/v1/registration-keys?after=" + cursorOf(created.get(0)));
        assertThat(notATime.status()).as("a decodable cursor that is not a time and id").isEqualTo(400);
        assertThat(notATime.error()).isEqualTo("invalid-after");
    }

    @Test
    void jitRequestsPageNewestFirstAndANonAdminSeesOnlyTheDevicesTheirRulesReachAcrossPages() throws Exception {
        TestAgent named = agent();
        TestAgent byMatch = new TestAgent(server);
        byMatch.clock = clock;
        byMatch.hostname = "jitweb-" + UUID.randomUUID().toString().substring(0, 6);
        byMatch.registered();
        TestAgent unreached = agent();
        TestAgent other = agent();
        String deskId = admin.user("desk-" + UUID.randomUUID().toString().substring(0, 6), null);
        String desk = admin.token(deskId);
        String webGroup = admin.deviceGroup("jit web " + UUID.randomUUID(), List.of(), Map.of("hostname", "jitweb-*"), null);
        admin.rule(Map.of("principals", List.of("user:" + deskId),
                "targets", List.of("device:" + named.deviceId, "device-group:" + webGroup),
                "permissions", List.of("device.jit")));
        // A rule giving something else on the other device: not device.jit, so none of its requests.
        admin.rule(Map.of("principals", List.of("user:" + deskId), "targets", List.of("device:" + other.deviceId),
                "permissions", List.of("password.read")));

        String old = grant(named, "old");
        clock.advance(Duration.ofDays(31));
        List<TestAgent> devices = List.of(named, unreached, byMatch, other);
        List<String> created = new ArrayList<>();
        List<String> visibleToDesk = new ArrayList<>();
        List<String> onNamed = new ArrayList<>(List.of(old));
        for (int i = 0; i < 4 * ITEMS; i++) {
            if (i % 3 == 0) {
                clock.advance(Duration.ofSeconds(1)); // some requests share a time: ties go by id
            }
            TestAgent device = devices.get(i % devices.size());
            String id = grant(device, "u" + i);
            created.add(id);
            if (device == named || device == byMatch) {
                visibleToDesk.add(id);
            }
            if (device == named) {
                onNamed.add(id);
            }
        }
        Comparator<JsonNode> newestFirst = Comparator.<JsonNode, Instant>comparing(
                g -> Instant.parse(g.get("requestedAt").asText())).reversed().thenComparing(g -> g.get("id").asText());
        List<JsonNode> all = assertPages("/api/v1/jit", created, newestFirst);
        assertThat(ids(all)).as("older than 30 days and over: not in the list").doesNotContain(old)
                .containsExactlyInAnyOrderElementsOf(created);

        List<JsonNode> ofNamed = walk("/api/v1/jit?device=" + named.deviceId, 3, null);
        assertThat(ofNamed).isSortedAccordingTo(newestFirst);
        assertThat(ids(ofNamed)).as("one device's requests, however old").containsExactlyInAnyOrderElementsOf(onNamed);
        assertThat(ofNamed).allSatisfy(g -> assertThat(g.get("deviceId").asText()).isEqualTo(named.deviceId));

        for (int limit : new int[] {1, 2, LIMIT, 1000}) {
            List<JsonNode> seen = walk("/api/v1/jit", limit, desk);
            assertThat(ids(seen)).as("desk, pages of %d", limit).containsExactlyElementsOf(
                    ids(all).stream().filter(visibleToDesk::contains).toList());
        }
        assertThat(walk("/api/v1/jit?device=" + named.deviceId, 2, desk)).as("desk on a device they reach")
                .hasSize(ofNamed.size());
        assertThat(walk("/api/v1/jit?device=" + unreached.deviceId, 2, desk)).as("desk on a device no rule reaches").isEmpty();
        assertThat(walk("/api/v1/jit?device=" + other.deviceId, 2, desk)).as("desk without device.jit").isEmpty();

        TestServer.Reply notATime = server.get("/api/v1/jit?after=" + cursorOf(created.get(0)));
        assertThat(notATime.status()).isEqualTo(400);
        assertThat(notATime.error()).isEqualTo("invalid-after");
    }

    private static String grant(TestAgent device, String user) throws Exception {
        return created(server.post("/api/v1/devices/" + device.deviceId + "/jit", Map.of("user", user, "minutes", 60)));
    }
}
