package org.castellan.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.castellan.server.guard.ConsoleSessions;
import org.castellan.server.http.RouteTable;
import org.castellan.server.notify.DispatcherSettings;
import org.castellan.server.testing.AdminApi;
import org.castellan.server.testing.ConsoleClient;
import org.castellan.server.testing.DbSnapshot;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestClock;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every state-changing route of the console, taken from the server's own route table (not a
 * hand-kept list, so a form added later is covered the day it is added), refuses a post whose
 * CSRF token is missing, empty, forged, another session's or another visitor's sign-in token:
 * 403 with the console's message page, and nothing changes (the API's view of users, tokens,
 * groups, rules, keys, channels, devices and just-in-time requests, and every row of the
 * database, the same after as before). Each post carries fields that the form would accept with
 * the right token and a real object's id in its path, and a few are then sent with the right token
 * to show they would have changed something. The sign-in steps are posted by a visitor and by a
 * session waiting for its second factor, the rest by a signed-in admin. Over real HTTPS without
 * a browser.
 */
class ConsoleCsrfTest {
    @TempDir
    static Path dataDir;
    static final TestClock clock = TestClock.now();
    static final String TAG = UUID.randomUUID().toString().substring(0, 6);
    static TestServer server;
    static AdminApi api;
    static TestAgent agent;
    static TestAgent tomb;
    static String bossId;
    static String kimId;
    static String tokenId;
    static String userGroup;
    static String deviceGroup;
    static String rule;
    static String registrationKey;
    static String channel;
    static String grant;
    static byte[] bossSeed;
    static ConsoleClient boss;
    static ConsoleClient other;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dataDir, TestServer.GENEROUS, clock, DispatcherSettings.defaults());
        api = new AdminApi(server);
        agent = device("csrf-" + TAG + "-live");
        tomb = device("csrf-" + TAG + "-deleted");
        assertThat(server.delete("/api/v1/devices/" + tomb.deviceId).status()).isEqualTo(204);
        bossId = user("boss", true);
        user("other", true);
        kimId = user("kim", false);
        user("pat", false);
        api.token(kimId);
        tokenId = server.get("/api/v1/users/" + kimId + "/tokens").json().get(0).get("id").asText();
        userGroup = api.userGroup("csrf-users-" + TAG, kimId);
        deviceGroup = api.deviceGroup("csrf-devices-" + TAG, List.of(agent.deviceId), null, null);
        rule = api.rule(Map.of("principals", List.of("user:" + kimId), "targets", List.of("device:" + agent.deviceId),
                "permissions", List.of("password.read", "device.jit")));
        TestServer.Reply key = server.post("/api/v1/registration-keys", Map.of("name", "csrf-key-" + TAG));
        assertThat(key.status()).as(key.body()).isEqualTo(201);
        registrationKey = key.json().get("id").asText();
        channel = api.channel("https://hooks.example.com/csrf-" + TAG, "sixteen-characters-at-least-" + TAG);
        TestServer.Reply jit = server.sendWithToken("POST", "/api/v1/devices/" + agent.deviceId + "/jit?reason=csrf",
                Map.of("user", "deploy", "minutes", 60), api.token(kimId));
        assertThat(jit.status()).as(jit.body()).isEqualTo(201);
        grant = jit.json().get("id").asText();

        boss = new ConsoleClient(server);
        clock.advance(Duration.ofSeconds(31));
        bossSeed = boss.signIn(name("boss"), password("boss"), null, clock.instant());
        other = new ConsoleClient(server);
        clock.advance(Duration.ofSeconds(31));
        other.signIn(name("other"), password("other"), null, clock.instant());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static String name(String who) {
        return who + "-" + TAG;
    }

    static String password(String who) {
        return "Csrf-password-" + who + "-" + TAG;
    }

    static String user(String who, boolean admin) throws Exception {
        TestServer.Reply created = server.post("/api/v1/users", Map.of("name", name(who), "password", password(who),
                "admin", admin));
        assertThat(created.status()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    static TestAgent device(String hostname) throws Exception {
        TestAgent a = new TestAgent(server);
        a.clock = clock;
        a.hostname = hostname;
        a.registered();
        AdminApi.escrowAndCommit(a, "root", "Csrf-secret-of-" + hostname);
        return a;
    }

    /** The console's routes that change something (every method but GET), from the server's route table. */
    static List<RouteTable.Route> stateChanging() {
        List<RouteTable.Route> out = new ArrayList<>();
        for (RouteTable.Route route : server.server.routes()) {
            if (route.guard().startsWith("console") && !route.method().equals("get")) {
                out.add(route);
            }
        }
        assertThat(out).as("a form posts; a console route of another method needs this test extended")
                .allSatisfy(r -> assertThat(r.method()).isEqualTo("post"));
        return out;
    }

    /** The route's path with real ids: the object of its kind this class made ({@code {id}} of /devices/…/purge: a deleted device). */
    static String concrete(String path) {
        String id = path.startsWith("/admin/rules/") ? rule
                : path.startsWith("/admin/users/") ? kimId
                : path.startsWith("/admin/user-groups/") ? userGroup
                : path.startsWith("/admin/device-groups/") ? deviceGroup
                : path.startsWith("/admin/registration-keys/") ? registrationKey
                : path.startsWith("/admin/channels/") ? channel
                : path.equals("/devices/{id}/purge") ? tomb.deviceId
                : path.startsWith("/devices/") ? agent.deviceId
                : UUID.randomUUID().toString();
        return path.replace("{id}", id).replace("{grantId}", grant).replace("{tokenId}", tokenId)
                .replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
    }

    /** What the console's forms send, each field valid for the forms that read it. */
    static List<Map.Entry<String, String>> formFields(String code) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("name", "csrf-forged-" + TAG);
        f.put("password", "Forged-password-" + TAG);
        f.put("principals", "user:" + kimId);
        f.put("targets", "all");
        f.put("permissions", "password.read");
        f.put("members", bossId);
        f.put("groups", deviceGroup);
        f.put("devices", agent.hostname);
        f.put("url", "https://hooks.example.com/forged-" + TAG);
        f.put("secret", "sixteen-characters-forged-" + TAG);
        f.put("maxUses", "5");
        f.put("reason", "forged " + TAG);
        f.put("confirm", agent.hostname);
        f.put("user", "forged");
        f.put("minutes", "60");
        f.put("keyId", "ABCDEF01");
        f.put("code", code);
        f.put("then", "/");
        return new ArrayList<>(f.entrySet());
    }

    /** Who posts to a route: a visitor before sign-in, a session due its second factor, or the signed-in admin. */
    record Poster(ConsoleClient client, List<Map.Entry<String, String>> fields) {}

    @Test
    void everyStateChangingConsoleRouteRefusesAMissingOrWrongCsrfTokenAndChangesNothing() throws Exception {
        ConsoleClient visitor = new ConsoleClient(server);
        visitor.get("/sign-in");
        String visitorToken = visitor.csrf;
        ConsoleClient stranger = new ConsoleClient(server);
        stranger.get("/sign-in");
        ConsoleClient pending = new ConsoleClient(server);
        pending.get("/sign-in");
        assertThat(pending.post("/sign-in", Map.of("name", name("pat"), "password", password("pat"))).status())
                .isEqualTo(303);
        byte[] patSeed = ConsoleClient.seedFrom(pending.get("/sign-in/second-factor"));
        String pendingToken = pending.csrf;
        String bossToken = boss.csrf;
        List<Map.Entry<String, String>> signIn = List.of(Map.entry("name", name("boss")),
                Map.entry("password", password("boss")));
        Map<String, String> wrong = new LinkedHashMap<>();
        wrong.put("missing", null);
        wrong.put("empty", "");
        wrong.put("forged", "A".repeat(43));
        wrong.put("another session's", other.csrf);
        wrong.put("another visitor's sign-in token", stranger.csrf);

        Map<String, String> apiBefore = apiState();
        var dbBefore = DbSnapshot.take(dataDir);
        List<String> walked = new ArrayList<>();
        for (RouteTable.Route route : stateChanging()) {
            Poster poster = route.guard().startsWith("console open") ? new Poster(visitor, signIn)
                    : route.guard().startsWith("console second factor")
                    ? new Poster(pending, formFields(ConsoleClient.code(patSeed, clock.instant())))
                    : new Poster(boss, formFields(ConsoleClient.code(bossSeed, clock.instant())));
            String path = concrete(route.path());
            for (Map.Entry<String, String> token : wrong.entrySet()) {
                List<Map.Entry<String, String>> fields = new ArrayList<>(poster.fields());
                if (token.getValue() != null) {
                    fields.add(0, Map.entry(ConsoleSessions.CSRF_FIELD, token.getValue()));
                }
                ConsoleClient.Page page = poster.client().submit(path, fields);
                String what = "POST " + path + " with a " + token.getKey() + " CSRF token";
                assertThat(page.status()).as(what + ": " + page.body()).isEqualTo(403);
                assertThat(page.headers().get("Content-Type")).as(what).startsWith("text/html");
                assertThat(page.body()).as(what).contains("<h1>403 · Not allowed</h1>")
                        .contains("data-code=\"csrf-token-invalid\"")
                        .contains("this form is out of date or did not come from this site; reload the page and try again");
                assertThat(page.setCookies()).as(what + ": no session started or ended").isEmpty();
            }
            walked.add(route.path());
        }
        assertThat(DbSnapshot.take(dataDir)).as("not one row of the database changed").isEqualTo(dbBefore);
        assertThat(apiState()).isEqualTo(apiBefore);
        assertThat(walked).as("the newer forms are among them").contains("/sign-in", "/sign-in/second-factor",
                "/sign-out", "/step-up", "/admin/device-groups/{id}/edit", "/admin/device-groups/{id}/preview",
                "/admin/users/{id}/reset-totp", "/admin/users/{id}/tokens", "/admin/users/{id}/tokens/{tokenId}/revoke",
                "/admin/user-groups/{id}/members", "/devices/{id}/purge", "/devices/{id}/jit/{grantId}/approve",
                "/devices/{id}/password", "/recovery-keys");

        // Nobody was signed in or out, and the sessions still work.
        assertThat(boss.get("/").status()).as("the forged sign-out ended nothing").isEqualTo(200);
        assertThat(visitor.get("/").status()).as("the visitor is not signed in").isEqualTo(303);
        ConsoleClient.Page waiting = pending.get("/sign-in/second-factor");
        assertThat(waiting.status()).as("still waiting for its code").isEqualTo(200);
        byte[] enrolling = ConsoleClient.seedFrom(waiting); // each showing of the enrolment page offers a new seed

        // Not vacuous: the same posts with the right token do what the forged ones did not.
        List<Map.Entry<String, String>> right = new ArrayList<>(formFields(""));
        right.add(0, Map.entry(ConsoleSessions.CSRF_FIELD, bossToken));
        ConsoleClient.Page edited = boss.submit(concrete("/admin/device-groups/{id}/edit"), right);
        assertThat(edited.status()).as(edited.body()).isEqualTo(303);
        assertThat(server.get("/api/v1/device-groups/" + deviceGroup).json().get("name").asText())
                .isEqualTo("csrf-forged-" + TAG);
        assertThat(boss.submit(concrete("/admin/rules/{id}/delete"), right).status()).isEqualTo(303);
        assertThat(server.get("/api/v1/rules/" + rule).status()).isEqualTo(404);
        List<Map.Entry<String, String>> code = List.of(Map.entry(ConsoleSessions.CSRF_FIELD, pendingToken),
                Map.entry("code", ConsoleClient.code(enrolling, clock.instant())));
        ConsoleClient.Page second = pending.submit("/sign-in/second-factor", code);
        assertThat(second.status()).as(second.body()).isEqualTo(303);
        assertThat(second.location()).isEqualTo("/");
        List<Map.Entry<String, String>> signInRight = new ArrayList<>(signIn);
        signInRight.add(0, Map.entry(ConsoleSessions.CSRF_FIELD, visitorToken));
        assertThat(visitor.submit("/sign-in", signInRight).status()).isEqualTo(303);
    }

    /** What the API shows of everything a console form can change. */
    static Map<String, String> apiState() throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        for (String path : List.of("/api/v1/users?limit=1000", "/api/v1/users/" + kimId + "/tokens",
                "/api/v1/users/" + bossId + "/tokens", "/api/v1/user-groups", "/api/v1/device-groups",
                "/api/v1/rules?limit=1000", "/api/v1/registration-keys", "/api/v1/channels",
                "/api/v1/devices?limit=1000", "/api/v1/devices?deleted=true&limit=1000", "/api/v1/jit",
                "/api/v1/devices/" + agent.deviceId, "/api/v1/devices/" + tomb.deviceId)) {
            TestServer.Reply reply = server.get(path);
            assertThat(reply.status()).as(path + ": " + reply.body()).isEqualTo(200);
            out.put(path, reply.body());
        }
        return out;
    }
}
