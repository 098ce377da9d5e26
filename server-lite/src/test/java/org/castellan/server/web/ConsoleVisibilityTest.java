package org.castellan.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.castellan.protocol.AgentPaths;
import org.castellan.protocol.messages.RecoveryKeyEscrowRequest;
import org.castellan.server.http.RouteTable;
import org.castellan.server.notify.DispatcherSettings;
import org.castellan.server.recovery.RecoveryKeyClient;
import org.castellan.server.testing.AdminApi;
import org.castellan.server.testing.ConsoleClient;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestClock;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A non-admin sees no device outside its rules on any page of the console: every signed-in page
 * of the route table (not a hand-kept list, so a new page is covered the day it is added) is
 * opened with the hidden device's id in its path, with the user's own device's id, and with
 * search, host and report parameters that both host names match; every signed-in form is posted,
 * with a valid CSRF token, against the hidden device. No answer names the hidden device (host
 * name, id, its recovery key or its just-in-time request), and nothing about it changes. Over
 * real HTTPS without a browser; the browser tests walk the same pages by hand.
 */
class ConsoleVisibilityTest {
    @TempDir
    static Path dataDir;
    static final TestClock clock = TestClock.now();
    static final String TAG = UUID.randomUUID().toString().substring(0, 6);
    static TestServer server;
    static AdminApi admin;
    static TestAgent mine;
    static TestAgent hidden;
    static String carlId;
    static String hiddenGrant;
    static ConsoleClient carl;
    static final String HIDDEN_KEY = RecoveryKeyClient.numericalPassword(7);

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dataDir, TestServer.GENEROUS, clock, DispatcherSettings.defaults());
        admin = new AdminApi(server);
        mine = device("vis-" + TAG + "-mine");
        hidden = device("vis-" + TAG + "-hidden");
        List<String> every = List.of("password.read", "password.history", "recovery-key.read", "device.rotate",
                "device.manage", "device.jit");
        carlId = admin.user("carl-" + TAG, "Carls-password-" + TAG);
        String deeId = admin.user("dee-" + TAG, "Dees-password-" + TAG);
        admin.rule(Map.of("principals", List.of("user:" + carlId), "targets", List.of("device:" + mine.deviceId),
                "permissions", every, "rotateAfterReadMinutes", 1));
        admin.rule(Map.of("principals", List.of("user:" + deeId), "targets", List.of("device:" + hidden.deviceId),
                "permissions", every, "rotateAfterReadMinutes", 1));
        String carlToken = admin.token(carlId);
        String deeToken = admin.token(deeId);
        // Something of the hidden device on every kind of page: a read, a failed rotation, volumes without
        // a key and an escrowed one, a just-in-time request, audit entries.
        assertThat(server.getWithToken("/api/v1/devices/" + mine.deviceId + "/password?reason=mine", carlToken).status())
                .isEqualTo(200);
        assertThat(server.getWithToken("/api/v1/devices/" + hidden.deviceId + "/password?reason=theirs", deeToken)
                .status()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(1));
        for (TestAgent a : List.of(mine, hidden)) {
            String r = UUID.randomUUID().toString();
            assertThat(a.escrow("Administrator", r, "Pending-1").status()).isEqualTo(201);
            assertThat(a.abort(r, "failed on " + a.hostname).status()).isEqualTo(200);
        }
        assertThat(mine.post(AgentPaths.RECOVERY_KEYS, new RecoveryKeyEscrowRequest(List.of(), List.of("E:"))).status())
                .isLessThan(300);
        TestServer.Reply escrowed = new RecoveryKeyClient(hidden).escrow(List.of("E:"), new RecoveryKeyClient.Key(
                "\\\\?\\Volume{vis-1}\\", "C:", "{5A5A5A5A-0000-4000-8000-00000000000C}", HIDDEN_KEY));
        assertThat(escrowed.status()).as(escrowed.body()).isEqualTo(200);
        TestServer.Reply jit = server.sendWithToken("POST", "/api/v1/devices/" + hidden.deviceId + "/jit?reason=theirs",
                Map.of("user", "deploy", "minutes", 60), deeToken);
        assertThat(jit.status()).as(jit.body()).isEqualTo(201);
        hiddenGrant = jit.json().get("id").asText();
        clock.advance(Duration.ofDays(2));

        carl = new ConsoleClient(server);
        carl.signIn("carl-" + TAG, "Carls-password-" + TAG, null, clock.instant());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static TestAgent device(String hostname) throws Exception {
        TestAgent agent = new TestAgent(server);
        agent.clock = clock;
        agent.hostname = hostname;
        agent.registered();
        AdminApi.escrowAndCommit(agent, "Administrator", "Pass-of-" + hostname);
        return agent;
    }

    /** The console's signed-in routes, from the server's own route table. */
    static List<RouteTable.Route> consoleRoutes(String method) {
        List<RouteTable.Route> out = new ArrayList<>();
        for (RouteTable.Route route : server.server.routes()) {
            if (route.method().equalsIgnoreCase(method) && route.guard().startsWith("console session")) {
                out.add(route);
            }
        }
        assertThat(out).as(method + " console routes").isNotEmpty();
        return out;
    }

    static String path(RouteTable.Route route, String deviceId) {
        return route.path().replace("{id}", deviceId).replace("{grantId}", hiddenGrant).replace("{tokenId}", "t-" + TAG);
    }

    static void namesNothingHidden(String what, ConsoleClient.Page page) {
        assertThat(page.body()).as(what).doesNotContain(hidden.hostname).doesNotContain(hidden.deviceId)
                .doesNotContain(hiddenGrant).doesNotContain(HIDDEN_KEY).doesNotContain("Pass-of-" + hidden.hostname)
                .doesNotContain("failed on " + hidden.hostname);
    }

    @Test
    void everySignedInPageAnswersWithoutNamingADeviceOutsideTheRules() throws Exception {
        String query = "?q=vis-" + TAG + "&host=vis-" + TAG + "&days=1";
        List<String> opened = new ArrayList<>();
        for (RouteTable.Route route : consoleRoutes("get")) {
            boolean perDevice = route.path().contains("{id}");
            for (String deviceId : perDevice ? List.of(hidden.deviceId, mine.deviceId) : List.of(mine.deviceId)) {
                String path = path(route, deviceId);
                ConsoleClient.Page page = carl.get(path + query);
                namesNothingHidden("GET " + path, page);
                if (perDevice && deviceId.equals(hidden.deviceId)) {
                    assertThat(page.status()).as("GET " + path).isEqualTo(403);
                }
                opened.add(path);
            }
        }
        assertThat(opened).as("the pages a non-admin uses are among them").contains("/", "/jit", "/recovery-keys",
                "/reports", "/reports/stale-devices", "/audit", "/access", "/admin/device-groups",
                "/devices/" + hidden.deviceId, "/devices/" + hidden.deviceId + "/jit",
                "/devices/" + hidden.deviceId + "/manage");
        // Not vacuous: the same pages do show the user's own device.
        assertThat(carl.get("/" + query).body()).contains(mine.hostname);
        for (String report : List.of("stale-devices?days=1", "failing-rotations", "read-not-rotated",
                "unprotected-volumes")) {
            assertThat(carl.get("/reports/" + report).body()).as(report).contains(mine.hostname);
        }
        ConsoleClient.Page jit = carl.get("/jit?host=" + mine.hostname);
        assertThat(jit.status()).isEqualTo(303);
        assertThat(jit.location()).isEqualTo("/devices/" + mine.deviceId + "/jit");
    }

    @Test
    void everySignedInFormRefusesTheHiddenDeviceAndChangesNothing() throws Exception {
        JsonNode before = server.get("/api/v1/devices/" + hidden.deviceId).json();
        String jitBefore = jitOf(hidden.deviceId);
        carl.get("/");
        for (RouteTable.Route route : consoleRoutes("post")) {
            if (route.path().equals("/sign-out") || route.path().equals("/step-up")) {
                continue; // would end or step up the session; they name no device
            }
            String path = path(route, hidden.deviceId);
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("reason", "visibility check");
            fields.put("confirm", "vis-" + TAG);
            fields.put("keyId", "5A5A5A5A");
            fields.put("user", "deploy");
            fields.put("minutes", "60");
            fields.put("name", "vis-" + TAG + "-forged");
            ConsoleClient.Page page = carl.post(path, fields);
            namesNothingHidden("POST " + path, page);
            if (route.path().contains("{id}") || route.path().startsWith("/admin")) {
                assertThat(page.status()).as("POST " + path + ": " + page.body()).isEqualTo(403);
            }
        }
        JsonNode after = server.get("/api/v1/devices/" + hidden.deviceId).json();
        assertThat(after).isEqualTo(before);
        assertThat(jitOf(hidden.deviceId)).isEqualTo(jitBefore);
        assertThat(admin.audit("principal=user:" + carlId + "&device=" + hidden.deviceId))
                .as("every attempt on the hidden device is on record as denied").isNotEmpty()
                .allSatisfy(r -> assertThat(r.get("outcome").asText()).isEqualTo("denied"));
        assertThat(server.get("/api/v1/device-groups").body() + server.get("/api/v1/rules?limit=1000").body())
                .doesNotContain("vis-" + TAG + "-forged");
    }

    static String jitOf(String deviceId) throws Exception {
        StringBuilder out = new StringBuilder();
        for (JsonNode g : server.get("/api/v1/jit").json()) {
            if (deviceId.equals(g.path("deviceId").asText())) {
                out.append(g).append('\n');
            }
        }
        return out.toString();
    }
}
