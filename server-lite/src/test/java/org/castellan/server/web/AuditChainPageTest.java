package org.castellan.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.castellan.server.notify.DispatcherSettings;
import org.castellan.server.testing.ConsoleClient;
import org.castellan.server.testing.DbSnapshot;
import org.castellan.server.testing.TestClock;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit page's chain status against a real server whose SQLite file a test tampers with over
 * JDBC: intact before, then "BROKEN" naming the first bad entry and why, the same verdict as
 * {@code castellan-server audit verify}. A server of its own per test (a broken chain stays broken).
 */
class AuditChainPageTest {
    @TempDir
    Path dataDir;
    final TestClock clock = TestClock.now();

    private ConsoleClient signedInAdmin(TestServer server) throws Exception {
        String name = "chain-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "Chain-admin-" + name;
        TestServer.Reply created = server.post("/api/v1/users", Map.of("name", name, "password", password, "admin", true));
        assertThat(created.status()).isEqualTo(201);
        ConsoleClient client = new ConsoleClient(server);
        clock.advance(Duration.ofSeconds(31));
        client.signIn(name, password, null, clock.instant());
        return client;
    }

    private static void audited(TestServer server, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            assertThat(server.post("/api/v1/registration-keys", Map.of("name", "chain-key-" + i)).status()).isEqualTo(201);
        }
    }

    private void sql(String statement) throws Exception {
        try (Connection c = DbSnapshot.open(dataDir); Statement st = c.createStatement()) {
            assertThat(st.executeUpdate(statement)).as(statement).isEqualTo(1);
        }
    }

    @Test
    void anEntryEditedInTheDatabaseIsShownBrokenAtThatEntry() throws Exception {
        try (TestServer server = TestServer.start(dataDir, TestServer.GENEROUS, clock, DispatcherSettings.defaults())) {
            ConsoleClient console = signedInAdmin(server);
            audited(server, 4);
            assertThat(server.server.verifyAuditChainNow().chain()).isEqualTo("intact");
            ConsoleClient.Page before = console.get("/audit");
            assertThat(before.status()).isEqualTo(200);
            assertThat(before.body()).contains("data-chain=\"intact\"").doesNotContain("BROKEN");

            sql("UPDATE audit_log SET reason = 'nothing to see' WHERE id = 3");
            assertThat(server.server.verifyAuditChainNow().brokenAt()).isEqualTo(3L);

            ConsoleClient.Page after = console.get("/audit");
            assertThat(after.status()).isEqualTo(200);
            assertThat(after.body()).contains("data-chain=\"broken\"")
                    .contains("Audit chain BROKEN at entry 3: content does not match its hash (the entry was edited)");
        }
    }

    @Test
    void anEntryDeletedInTheDatabaseIsShownBrokenAtTheEntryAfterIt() throws Exception {
        try (TestServer server = TestServer.start(dataDir, TestServer.GENEROUS, clock, DispatcherSettings.defaults())) {
            ConsoleClient console = signedInAdmin(server);
            audited(server, 4);
            long id = DbSnapshot.count(dataDir, "SELECT MAX(id) FROM audit_log") - 2;
            sql("DELETE FROM audit_log WHERE id = " + id);
            assertThat(server.server.verifyAuditChainNow().brokenAt()).isEqualTo(id + 1);

            ConsoleClient.Page page = console.get("/audit");
            assertThat(page.body()).contains("data-chain=\"broken\"")
                    .contains("Audit chain BROKEN at entry " + (id + 1) + ": does not follow the previous entry");
        }
    }
}
