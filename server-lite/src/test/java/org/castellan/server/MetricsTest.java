package org.castellan.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.castellan.server.testing.AdminApi;
import org.castellan.server.testing.OnPostgres;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestServer;
import org.castellan.testsupport.Prerequisite;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} from Micrometer's Prometheus registry, scraped from a real server after real
 * traffic: request timers per route template (the raw path, with its ids, never appears), the
 * database writer's batches, the pool, the JVM, rotations by outcome, devices by last check-in,
 * the webhook queue, the audit anchor; the names the server had before are kept; and the whole
 * text passes {@code promtool check metrics} (Debian package prometheus).
 */
class MetricsTest {
    @TempDir
    Path dataDir;
    @TempDir
    Path scratch;
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dataDir);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String scrapeAfterTraffic() throws Exception {
        TestAgent agent = new TestAgent(server).registered();
        assertThat(agent.checkIn("root").status()).isEqualTo(200);
        AdminApi.escrowAndCommit(agent, "root", "Correct-Horse-1");
        assertThat(server.get("/api/v1/devices/" + agent.deviceId + "/password?reason=metrics").status()).isEqualTo(200);
        assertThat(server.get("/api/v1/devices/" + UUID.randomUUID()).status()).isEqualTo(404);
        assertThat(server.get("/no/such/path/" + UUID.randomUUID()).status()).isEqualTo(404);
        assertThat(server.get("/api/v1/devices").status()).isEqualTo(200);
        server.server.refreshMetrics();
        TestServer.Reply reply = server.getWithToken("/metrics", null);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("text/plain");
        return reply.body();
    }

    @Test
    void requestTimersAreLabelledByRouteTemplateNeverByRawPath() throws Exception {
        String text = scrapeAfterTraffic();
        assertThat(text).contains("castellan_http_server_requests_seconds_bucket{")
                .containsPattern("castellan_http_server_requests_seconds_count\\{method=\"GET\",route=\"/api/v1/devices/\\{id\\}/password\",status=\"200\"\\} 1")
                .containsPattern("castellan_http_server_requests_seconds_count\\{method=\"GET\",route=\"/api/v1/devices/\\{id\\}\",status=\"404\"\\} 1")
                .containsPattern("castellan_http_server_requests_seconds_count\\{method=\"POST\",route=\"/api/v1/agent/check-in\",status=\"200\"\\} 1")
                .containsPattern("castellan_http_server_requests_seconds_count\\{method=\"GET\",route=\"unmatched\",status=\"404\"\\} 1");
        // Bounded cardinality: no label value holds an id from a request path.
        Matcher routes = Pattern.compile("route=\"([^\"]*)\"").matcher(text);
        while (routes.find()) {
            assertThat(routes.group(1)).doesNotContainPattern("[0-9a-f]{8}-[0-9a-f]{4}-");
        }
    }

    @Test
    void theServersOwnMetersAreThereWithTheNamesKeptFromBefore() throws Exception {
        String text = scrapeAfterTraffic();
        assertThat(text)
                // kept from the hand-written counters
                .containsPattern("castellan_http_requests_total\\{class=\"2xx\"\\} [1-9]")
                .containsPattern("castellan_http_requests_total\\{class=\"4xx\"\\} [1-9]")
                .containsPattern("castellan_escrows_total 1")
                .containsPattern("castellan_reveals_total\\{outcome=\"granted\"\\} 1")
                .contains("castellan_audit_chain_intact", "castellan_audit_chain_passes_total",
                        "castellan_audit_chain_last_pass_timestamp_seconds")
                // rotations by outcome
                .containsPattern("castellan_rotations_total\\{outcome=\"escrowed\"\\} 1")
                .containsPattern("castellan_rotations_total\\{outcome=\"committed\"\\} 1")
                // the single writer's batches and the pool
                .containsPattern("castellan_db_write_batch_seconds_count\\{outcome=\"committed\"\\} [1-9]")
                .contains("castellan_db_write_batch_seconds_bucket{", "castellan_db_write_batch_units_count")
                .contains("hikaricp_connections_active{pool=\"castellan-" + (OnPostgres.active() ? "postgresql" : "sqlite") + "\"}")
                // devices by last check-in (the agent checked in just now), webhooks, the anchor
                .containsPattern("castellan_devices\\{last_seen=\"1h\"\\} 1")
                .containsPattern("castellan_devices\\{last_seen=\"never\"\\} 0")
                .containsPattern("castellan_webhook_queue_depth 0")
                .containsPattern("castellan_webhook_deliveries_total\\{outcome=\"failed\"\\} 0")
                // the JVM
                .contains("jvm_memory_used_bytes{", "jvm_threads_live_threads", "process_uptime_seconds");
        if (OnPostgres.active()) {
            // one transaction per write: every "batch" holds one unit; the shared anchor has no file to lag
            assertThat(text).containsPattern("castellan_db_write_batch_units_max 1\\.0")
                    .doesNotContain("castellan_audit_anchor_lag_entries");
        } else {
            assertThat(text).contains("castellan_audit_anchor_lag_entries", "castellan_audit_anchor_writes_total");
        }
    }

    @Test
    void theScrapePassesPromtoolCheckMetrics() throws Exception {
        Prerequisite.requireCommand("promtool", "prometheus");
        Path file = scratch.resolve("metrics.txt");
        Files.writeString(file, scrapeAfterTraffic(), StandardCharsets.UTF_8);
        Process promtool = new ProcessBuilder(List.of("promtool", "check", "metrics")).redirectInput(file.toFile())
                .redirectErrorStream(true).start();
        assertThat(promtool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(promtool.exitValue()).as("promtool check metrics said: %s", out).isZero();
    }
}
