package org.castellan.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.castellan.server.CastellanServer;
import org.castellan.server.testing.DbSnapshot;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mid-log edit is noticed by the running server, without anyone running {@code audit verify}:
 * the background chain check reports it in {@code /healthz} and {@code /metrics}. Before this the
 * server only noticed a shortened log at its next append, and never an edit.
 */
class ChainWatchTest {
    @TempDir
    Path dataDir;

    private static void audited(TestServer server, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            assertThat(server.post("/api/v1/registration-keys", Map.of("name", "k" + i)).status()).isEqualTo(201);
        }
    }

    private void sql(String statement) throws Exception {
        try (Connection c = DbSnapshot.open(dataDir); Statement st = c.createStatement()) {
            st.executeUpdate(statement);
        }
    }

    @Test
    void anIntactChainIsReportedIntactInHealthzAndMetrics() throws Exception {
        try (TestServer server = TestServer.start(dataDir)) {
            audited(server, 3);
            ChainWatch.Status status = server.server.verifyAuditChainNow();
            assertThat(status.chain()).isEqualTo("intact");
            assertThat(status.entriesVerified()).isGreaterThanOrEqualTo(3);
            JsonNode health = server.get("/healthz").json();
            assertThat(health.get("status").asText()).isEqualTo("ok");
            assertThat(health.at("/audit/chain").asText()).isEqualTo("intact");
            assertThat(health.at("/audit/entriesVerified").asLong()).isGreaterThanOrEqualTo(3);
            String metrics = server.get("/metrics").body();
            assertThat(metrics).contains("castellan_audit_chain_intact 1.0\n").contains("castellan_audit_chain_broken_entry 0.0\n");
        }
    }

    @Test
    void anEntryEditedInTheMiddleWhileTheServerRunsIsReported() throws Exception {
        try (TestServer server = TestServer.start(dataDir)) {
            audited(server, 4);
            server.server.verifyAuditChainNow();
            sql("UPDATE audit_log SET reason = 'nothing to see' WHERE id = 2");
            ChainWatch.Status status = server.server.verifyAuditChainNow();
            assertThat(status.chain()).isEqualTo("broken");
            assertThat(status.brokenAt()).isEqualTo(2L);
            JsonNode health = server.get("/healthz").json();
            assertThat(health.get("status").asText()).isEqualTo("degraded");
            assertThat(health.at("/audit/brokenAt").asLong()).isEqualTo(2);
            assertThat(health.at("/audit/problem").asText()).contains("edited");
            assertThat(server.get("/metrics").body()).contains("castellan_audit_chain_intact 0.0\n")
                    .contains("castellan_audit_chain_broken_entry 2.0\n");
        }
    }

    @Test
    void anEntryDeletedInTheMiddleIsReportedAtTheEntryAfterIt() throws Exception {
        try (TestServer server = TestServer.start(dataDir)) {
            audited(server, 4);
            sql("DELETE FROM audit_log WHERE id = 3");
            ChainWatch.Status status = server.server.verifyAuditChainNow();
            assertThat(status.brokenAt()).isEqualTo(4L);
            assertThat(status.problem()).contains("does not follow");
        }
    }

    @Test
    void theNewestEntriesDeletedWhileRunningAreReported() throws Exception {
        try (TestServer server = TestServer.start(dataDir)) {
            audited(server, 3);
            long last = DbSnapshot.count(dataDir, "SELECT MAX(id) FROM audit_log");
            sql("DELETE FROM audit_log WHERE id = " + last);
            ChainWatch.Status status = server.server.verifyAuditChainNow();
            assertThat(status.chain()).isEqualTo("broken");
            assertThat(status.brokenAt()).isEqualTo(last);
            assertThat(status.problem()).contains("newest entries were deleted");
        }
    }

    @Test
    void metricsCanRequireAToken() throws Exception {
        Path tokenFile = dataDir.resolve("metrics-token");
        org.castellan.server.files.SecureFiles.writeNew(tokenFile, "m3tr1cs-t0ken-0123456789\n".getBytes());
        Path data = dataDir.resolve("data");
        CastellanServer started = CastellanServer.start(TestServer.config(data, TestServer.GENEROUS)
                .withMetricsTokenFile(tokenFile));
        try (TestServer server = TestServer.attach(started, data, started.initialAdminToken().orElseThrow())) {
            TestServer.Reply anonymous = server.getWithToken("/metrics", null);
            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(anonymous.error()).isEqualTo("unauthorized");
            assertThat(server.getWithToken("/metrics", "wrong-token-0123456789").status()).isEqualTo(401);
            assertThat(server.get("/metrics").status()).as("an admin token is not the metrics token").isEqualTo(401);
            TestServer.Reply scraped = server.getWithToken("/metrics", "m3tr1cs-t0ken-0123456789");
            assertThat(scraped.status()).isEqualTo(200);
            assertThat(scraped.body()).contains("castellan_audit_chain_intact");
        }
        Files.setPosixFilePermissions(tokenFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CastellanServer.start(
                TestServer.config(data, TestServer.GENEROUS).withMetricsTokenFile(tokenFile)))
                .hasMessageContaining(tokenFile + " is readable by group and others");
    }
}
