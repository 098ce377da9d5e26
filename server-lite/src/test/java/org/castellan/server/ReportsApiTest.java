package org.castellan.server;

import org.castellan.server.config.ConsoleSettings;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.castellan.protocol.AgentPaths;
import org.castellan.protocol.messages.RecoveryKeyEscrowRequest;
import org.castellan.server.notify.DispatcherSettings;
import org.castellan.server.testing.AdminApi;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestClock;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/v1/reports/...} over real HTTPS: each report finds its device, pages with
 * {@code X-Next-Cursor} without repeats, shows a non-admin only the devices its rules reach, and
 * refuses bad parameters with a JSON 400. The postgresql execution runs the same on PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportsApiTest {
    private final TestClock clock = TestClock.now();
    private TestServer server;
    private AdminApi admin;
    private TestAgent quiet;
    private TestAgent busy;
    private final List<TestAgent> fleet = new ArrayList<>();
    private String scopedToken;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        server = TestServer.start(dir, TestServer.GENEROUS, clock, DispatcherSettings.defaults(), ConsoleSettings.defaults());
        admin = new AdminApi(server);
        quiet = agent("Quiet-pass-1");
        for (int i = 0; i < 4; i++) {
            fleet.add(agent("Fleet-pass-" + i));
        }
        clock.advance(Duration.ofDays(40));
        busy = agent("Busy-pass-1");
        String user = admin.user("reports-" + UUID.randomUUID().toString().substring(0, 6), null);
        scopedToken = admin.token(user);
        admin.rule(Map.of("principals", List.of("user:" + user), "targets", List.of("device:" + busy.deviceId),
                "permissions", List.of("password.read")));
        clock.advance(Duration.ofSeconds(1));
        String rotation = UUID.randomUUID().toString();
        assertThat(busy.escrow("Administrator", rotation, "Pending-pass-1").status()).isEqualTo(201);
        assertThat(busy.abort(rotation, "chpasswd exited 1").status()).isEqualTo(200);
        assertThat(server.get("/api/v1/devices/" + busy.deviceId + "/password?reason=report").status()).isEqualTo(200);
        assertThat(busy.post(AgentPaths.RECOVERY_KEYS, new RecoveryKeyEscrowRequest(List.of(), List.of("C:"))).status())
                .isLessThan(300);
    }

    private TestAgent agent(String password) throws Exception {
        TestAgent agent = new TestAgent(server);
        agent.clock = clock;
        agent.registered();
        AdminApi.escrowAndCommit(agent, "Administrator", password);
        return agent;
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private List<String> ids(String path, String token) throws Exception {
        TestServer.Reply reply = server.getWithToken(path, token);
        assertThat(reply.status()).as(path + ": " + reply.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        reply.json().forEach(e -> ids.add(e.get("deviceId").asText()));
        return ids;
    }

    @Test
    void eachReportFindsItsDevice() throws Exception {
        String t = server.adminToken;
        assertThat(ids("/api/v1/reports/stale-devices", t)).contains(quiet.deviceId).doesNotContain(busy.deviceId);
        assertThat(ids("/api/v1/reports/stale-devices?days=41", t)).doesNotContain(quiet.deviceId);
        assertThat(ids("/api/v1/reports/overdue-rotations", t)).contains(quiet.deviceId).doesNotContain(busy.deviceId);
        assertThat(ids("/api/v1/reports/failing-rotations", t)).containsExactly(busy.deviceId);
        JsonNode failing = server.get("/api/v1/reports/failing-rotations").json().get(0);
        assertThat(failing.get("detail").asText()).isEqualTo("chpasswd exited 1");
        assertThat(failing.get("hostname").asText()).isEqualTo(busy.hostname);
        assertThat(ids("/api/v1/reports/read-not-rotated", t)).containsExactly(busy.deviceId);
        assertThat(ids("/api/v1/reports/unprotected-volumes", t)).containsExactly(busy.deviceId);
        JsonNode versions = server.get("/api/v1/reports/agent-versions").json();
        assertThat(versions.get(0).get("value").asText()).isEqualTo("0.1.0");
        assertThat(versions.get(0).get("devices").asLong()).isEqualTo(6);
        JsonNode os = server.get("/api/v1/reports/os-versions").json();
        assertThat(os.get(0).get("value").asText()).isEqualTo("linux");
        assertThat(os.get(0).get("detail").asText()).isEqualTo("Debian 12");
    }

    @Test
    void pagesFollowTheCursorWithoutRepeatsOrGaps() throws Exception {
        List<String> seen = new ArrayList<>();
        String path = "/api/v1/reports/stale-devices?limit=2";
        while (true) {
            TestServer.Reply reply = server.get(path);
            assertThat(reply.status()).isEqualTo(200);
            reply.json().forEach(e -> seen.add(e.get("deviceId").asText()));
            String next = reply.header("X-Next-Cursor");
            if (next == null) {
                break;
            }
            path = "/api/v1/reports/stale-devices?limit=2&after=" + next;
        }
        List<String> expected = new ArrayList<>(List.of(quiet.deviceId));
        fleet.forEach(a -> expected.add(a.deviceId));
        // All five registered at the same instant: the device id breaks the tie, across page edges too.
        assertThat(seen).as("each once, none skipped").doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
        assertThat(seen).isSorted();
    }

    @Test
    void aNonAdminGetsOnlyTheDevicesItsRulesReach() throws Exception {
        assertThat(ids("/api/v1/reports/stale-devices?days=1", scopedToken)).isEqualTo(List.of());
        assertThat(ids("/api/v1/reports/stale-devices?days=1", server.adminToken)).contains(quiet.deviceId);
        assertThat(ids("/api/v1/reports/overdue-rotations", scopedToken)).isEmpty();
        assertThat(ids("/api/v1/reports/failing-rotations", scopedToken)).containsExactly(busy.deviceId);
        assertThat(ids("/api/v1/reports/read-not-rotated", scopedToken)).containsExactly(busy.deviceId);
        JsonNode versions = server.getWithToken("/api/v1/reports/agent-versions", scopedToken).json();
        assertThat(versions).hasSize(1);
        assertThat(versions.get(0).get("devices").asLong()).isEqualTo(1);
        assertThat(server.getWithToken("/api/v1/reports/stale-devices", null).status()).isEqualTo(401);
    }

    @Test
    void badParametersAreRefusedWithAClearJsonError() throws Exception {
        for (String bad : List.of("stale-devices?days=0", "stale-devices?days=3651", "stale-devices?days=abc",
                "overdue-rotations?days=3", "stale-devices?after=bm90LWEtY3Vyc29y", "stale-devices?limit=0",
                "read-not-rotated?after=" + org.castellan.server.http.Paging.cursor("12 x\u0001"))) {
            TestServer.Reply reply = server.get("/api/v1/reports/" + bad);
            assertThat(reply.status()).as(bad).isEqualTo(400);
            assertThat(reply.error()).as(bad).startsWith("invalid-");
            assertThat(reply.json().get("message").asText()).as(bad).isNotBlank();
        }
    }
}
