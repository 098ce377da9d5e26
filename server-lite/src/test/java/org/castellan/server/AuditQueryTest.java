package org.castellan.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.castellan.server.notify.DispatcherSettings;
import org.castellan.server.testing.AdminApi;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestClock;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit trail: admin changes are recorded, and the log can be queried and paged. */
class AuditQueryTest {
    @TempDir
    Path dataDir;

    @Test
    void adminChangesAreAuditedWithTheirPrincipal() throws Exception {
        try (TestServer server = TestServer.start(dataDir)) {
            AdminApi admin = new AdminApi(server);
            String user = admin.user("carol", null);
            admin.token(user);
            String group = admin.userGroup("helpdesk", user);
            TestAgent agent = new TestAgent(server).registered();
            String devices = admin.deviceGroup("all-linux", List.of(), Map.of("os", "linux"), null);
            String channel = admin.channel("https://hooks.example.org/x", "webhook-secret-0123456789");
            String rule = admin.rule(Map.of("principals", List.of("user-group:" + group), "targets",
                    List.of("device-group:" + devices), "permissions", List.of("password.read"), "channels", List.of(channel)));
            assertThat(server.delete("/api/v1/rules/" + rule).status()).isEqualTo(204);
            TestServer.Reply typo = server.post("/api/v1/rules", Map.of("name", "typo", "principals",
                    List.of("user:" + java.util.UUID.randomUUID()), "targets", List.of("all"), "permissions", List.of("password.read")));
            assertThat(typo.error()).isEqualTo("invalid-principals");
            server.put("/api/v1/policies/default", Map.of("historyKeep", 5));

            String adminPrincipal = admin.audit("action=user.create").get(0).get("principal").asText();
            List<String> actions = new ArrayList<>();
            admin.audit("principal=" + adminPrincipal).forEach(row -> actions.add(row.get("action").asText()));
            assertThat(actions).contains("user.create", "token.create", "user-group.create", "registration-key.create",
                    "device-group.create", "channel.create", "rule.create", "rule.delete", "policy.update");
            assertThat(admin.audit("device=" + agent.deviceId)).extracting(r -> r.get("action").asText())
                    .containsExactly("device.register");
            assertThat(admin.audit("action=channel.create").get(0).toString()).doesNotContain("webhook-secret")
                    .doesNotContain("hooks.example.org");
        }
        try (org.castellan.server.db.Database db = org.castellan.server.testing.OnPostgres.open(dataDir)) {
            var result = db.read(c -> new org.castellan.server.audit.AuditVerifier(
                    new org.castellan.server.audit.SqlAuditLog(java.time.Clock.systemUTC())).verify(c));
            assertThat(result.intact()).isTrue();
        }
    }

    @Test
    void queriesFilterByTimeAndPageWithACursor() throws Exception {
        TestClock clock = TestClock.now();
        try (TestServer server = TestServer.start(dataDir, TestServer.GENEROUS, clock, DispatcherSettings.defaults())) {
            AdminApi admin = new AdminApi(server);
            Instant start = clock.instant();
            for (int i = 0; i < 5; i++) {
                clock.advance(Duration.ofMinutes(1));
                admin.user("paged" + i, null);
            }
            List<String> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                TestServer.Reply page = server.get("/api/v1/audit?action=user.create&limit=2"
                        + (cursor == null ? "" : "&after=" + cursor));
                assertThat(page.status()).isEqualTo(200);
                assertThat(page.json().size()).isLessThanOrEqualTo(2);
                page.json().forEach(row -> seen.add(row.get("detail").asText()));
                cursor = page.header("X-Next-Cursor");
                pages++;
            } while (cursor != null);
            assertThat(pages).isEqualTo(3);
            assertThat(seen).hasSize(5);
            assertThat(seen.get(0)).contains("paged4");
            assertThat(seen.get(4)).contains("paged0");

            Instant since = start.plus(Duration.ofMinutes(2));
            Instant until = start.plus(Duration.ofMinutes(4));
            List<JsonNode> window = admin.audit("action=user.create&since=" + since + "&until=" + until);
            assertThat(window).extracting(r -> r.get("detail").asText())
                    .satisfiesExactly(d -> assertThat(d).contains("paged2"), d -> assertThat(d).contains("paged1"));
            assertThat(server.get("/api/v1/audit?after=abc").error()).isEqualTo("invalid-after");
        }
    }
}
