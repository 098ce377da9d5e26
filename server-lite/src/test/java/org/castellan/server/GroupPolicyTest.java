package org.castellan.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.castellan.server.testing.AdminApi;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Policies attached to device groups reach the agent at check-in; the most specific group wins. */
class GroupPolicyTest {
    @TempDir
    Path dataDir;

    @Test
    void matchingGroupsPolicyAppliesAndExplicitMembershipBeatsMatch() throws Exception {
        try (TestServer server = TestServer.start(dataDir)) {
            AdminApi admin = new AdminApi(server);
            assertThat(server.put("/api/v1/policies/web", Map.of("length", 32)).status()).isEqualTo(200);
            assertThat(server.put("/api/v1/policies/pinned", Map.of("length", 40, "checkInSeconds", 600)).status())
                    .isEqualTo(200);
            TestAgent web = new TestAgent(server);
            web.hostname = "web-01";
            web.registered();
            TestAgent other = new TestAgent(server);
            other.hostname = "db-01";
            other.registered();

            admin.deviceGroup("web servers", List.of(), Map.of("hostname", "web-*", "os", "linux"), "web");
            assertThat(web.checkIn("root").json().get("policy").get("length").asInt()).isEqualTo(32);
            assertThat(other.checkIn("root").json().get("policy").get("length").asInt()).isEqualTo(20);

            admin.deviceGroup("pinned machines", List.of(web.deviceId), null, "pinned");
            var policy = web.checkIn("root").json().get("policy");
            assertThat(policy.get("length").asInt()).isEqualTo(40);
            assertThat(policy.get("checkInSeconds").asInt()).isEqualTo(600);
        }
    }

    @Test
    void historyPurgeKeepsThePolicysNewestPasswordsAndIsAudited() throws Exception {
        try (TestServer server = TestServer.start(dataDir)) {
            AdminApi admin = new AdminApi(server);
            server.put("/api/v1/policies/short-history", Map.of("historyKeep", 2, "historyDays", 0));
            TestAgent agent = new TestAgent(server).registered();
            admin.deviceGroup("short", List.of(agent.deviceId), null, "short-history");
            List<String> rotations = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                rotations.add(AdminApi.escrowAndCommit(agent, "root", "History-password-" + i));
                Thread.sleep(5); // distinct escrow times
            }

            assertThat(server.server.purgeHistory()).isEqualTo(2);

            var history = server.get("/api/v1/devices/" + agent.deviceId + "/password/history").json();
            assertThat(history).hasSize(3);
            assertThat(history.get(0).get("rotationId").asText()).isEqualTo(rotations.get(4));
            assertThat(history.get(2).get("rotationId").asText()).isEqualTo(rotations.get(2));
            assertThat(admin.audit("device=" + agent.deviceId + "&action=history.purge")).singleElement()
                    .satisfies(row -> assertThat(row.get("detail").asText()).startsWith("2 old passwords deleted"));
            assertThat(server.server.purgeHistory()).isZero();
        }
    }
}
