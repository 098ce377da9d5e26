package org.castellan.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.castellan.server.testing.DbSnapshot;
import org.castellan.server.testing.SqliteOnly;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database that is busy (a lock held outside the server past the busy timeout) or full answers
 * 503 with {@code Retry-After} and the JSON body, not an empty 500; and lookups that write nothing
 * keep working, although authenticating them records the token's last use.
 *
 * <p>The full disk is reached with SQLite's {@code max_page_count} (the server's connections are
 * capped just above the database's size): SQLite then answers SQLITE_FULL exactly as on a full
 * file system. A real full file system has not been tried here.
 */
@SqliteOnly("SQLite's busy lock and full file (max_page_count); PostgreSQL's pool errors are other tests'")
class UnavailableStorageTest {
    @TempDir
    Path dataDir;

    @AfterEach
    void clearProperties() {
        System.clearProperty(Database.BUSY_TIMEOUT_PROPERTY);
        System.clearProperty(Database.MAX_PAGES_PROPERTY);
    }

    @Test
    void aLockHeldOutsideTheServerAnswers503WithRetryAfterAndLookupsStillWork() throws Exception {
        System.setProperty(Database.BUSY_TIMEOUT_PROPERTY, "300");
        try (TestServer server = TestServer.start(dataDir);
             Connection outside = DbSnapshot.open(dataDir); Statement st = outside.createStatement()) {
            TestAgent agent = new TestAgent(server).registered();
            agent.checkIn("root");
            st.execute("BEGIN IMMEDIATE"); // e.g. a sqlite3 shell or a backup tool writing
            st.execute("UPDATE devices SET os_version = os_version");

            TestServer.Reply write = server.post("/api/v1/registration-keys", Map.of("name", "busy"));
            assertThat(write.status()).as(write.body()).isEqualTo(503);
            assertThat(write.error()).isEqualTo("database-busy");
            assertThat(write.header("Retry-After")).isEqualTo("2");
            TestServer.Reply agentWrite = agent.checkIn("root");
            assertThat(agentWrite.status()).as(agentWrite.body()).isEqualTo(503);
            assertThat(agentWrite.header("Retry-After")).isEqualTo("2");

            TestServer.Reply lookup = server.get("/api/v1/devices/" + agent.deviceId);
            assertThat(lookup.status()).as(lookup.body()).isEqualTo(200);
            assertThat(server.get("/api/v1/devices").status()).isEqualTo(200);
            st.execute("ROLLBACK");
            // The writer recovers: a BEGIN that failed busy used to leave its connection outside any transaction.
            for (int i = 0; i < 6; i++) {
                TestServer.Reply after = server.post("/api/v1/registration-keys", Map.of("name", "free" + i));
                assertThat(after.status()).as(after.body()).isEqualTo(201);
            }
            assertThat(agent.checkIn("root").status()).isEqualTo(200);
        }
    }

    @Test
    void aFullDatabaseAnswers503AndLookupsStillWork() throws Exception {
        TestAgent agent;
        String token;
        try (TestServer first = TestServer.start(dataDir)) {
            agent = new TestAgent(first).registered();
            agent.checkIn("root");
            token = first.adminToken;
        }
        long pages = DbSnapshot.count(dataDir, "PRAGMA page_count");
        System.setProperty(Database.MAX_PAGES_PROPERTY, Long.toString(pages + 2));
        org.castellan.server.CastellanServer restarted = org.castellan.server.CastellanServer.start(
                TestServer.config(dataDir, TestServer.GENEROUS));
        try (TestServer server = TestServer.attach(restarted, dataDir, token)) {
            agent.on(server);
            int full = 0;
            for (int i = 0; i < 200 && full == 0; i++) {
                TestServer.Reply write = server.post("/api/v1/registration-keys",
                        Map.of("name", "filler-" + i + "-" + "x".repeat(80)));
                assertThat(write.status()).as(write.body()).isIn(201, 503);
                if (write.status() == 503) {
                    assertThat(write.error()).isEqualTo("storage-full");
                    assertThat(write.header("Retry-After")).isEqualTo("60");
                    full++;
                }
            }
            assertThat(full).as("the capped database filled up").isEqualTo(1);
            assertThat(server.get("/api/v1/devices/" + agent.deviceId).status()).isEqualTo(200);
            assertThat(server.get("/api/v1/devices?hostname=" + agent.hostname).status()).isEqualTo(200);
            assertThat(server.get("/healthz").status()).isEqualTo(200);
            TestServer.Reply checkIn = agent.checkIn("root");
            assertThat(checkIn.status()).as(checkIn.body()).isIn(200, 503);
        }
    }
    @Test
    void aRevealWhoseAuditRowCannotBeWrittenAnswers503AndRevealsNothing() throws Exception {
        TestAgent agent;
        String token;
        try (TestServer first = TestServer.start(dataDir)) {
            agent = new TestAgent(first).registered();
            agent.checkIn("root");
            org.castellan.server.testing.AdminApi.escrowAndCommit(agent, "root", "Must-Stay-Hidden-1");
            TestServer.Reply escrowed = new org.castellan.server.recovery.RecoveryKeyClient(agent).escrow(java.util.List.of(),
                    new org.castellan.server.recovery.RecoveryKeyClient.Key("C:", "C:",
                            "{AAAAAAAA-1111-2222-3333-444444444444}", "111111-222222-333333"));
            assertThat(escrowed.status()).as(escrowed.body()).isEqualTo(200);
            token = first.adminToken;
        }
        long pages = DbSnapshot.count(dataDir, "PRAGMA page_count");
        System.setProperty(Database.MAX_PAGES_PROPERTY, Long.toString(pages + 3));
        org.castellan.server.CastellanServer restarted = org.castellan.server.CastellanServer.start(
                TestServer.config(dataDir, TestServer.GENEROUS));
        try (TestServer server = TestServer.attach(restarted, dataDir, token)) {
            String base = "/api/v1/devices/" + agent.deviceId;
            java.util.List<String> reveals = java.util.List.of(base + "/password?reason=r", base + "/password/history",
                    base + "/recovery-keys", "/api/v1/recovery-keys?keyId=AAAAAAAA");
            int handedOut = 0;
            int refused = 0;
            // Reveal (and fill the database between reveals) until reveals are refused: every secret
            // handed out has its audit row; the first reveal that cannot write one reveals nothing.
            for (int i = 0; i < 400 && refused < reveals.size(); i++) {
                String path = reveals.get(i % reveals.size());
                TestServer.Reply reveal = server.get(path);
                if (reveal.status() == 200) {
                    handedOut++;
                    server.post("/api/v1/registration-keys", Map.of("name", "filler-" + i + "-" + "x".repeat(80)));
                    continue;
                }
                assertThat(reveal.status()).as(path + ": " + reveal.body()).isEqualTo(503);
                assertThat(reveal.error()).isEqualTo("storage-full");
                assertThat(reveal.header("Retry-After")).isEqualTo("60");
                assertThat(reveal.body()).doesNotContain("Must-Stay-Hidden-1").doesNotContain("111111-222222");
                refused++;
            }
            assertThat(refused).as("reveals refused once the disk is full").isEqualTo(reveals.size());
            long granted = DbSnapshot.count(dataDir, "SELECT COUNT(*) FROM audit_log WHERE outcome = 'granted'"
                    + " AND action IN ('password.reveal', 'password.history', 'recovery-key.reveal')");
            assertThat(granted).as("one audit row per secret handed out").isEqualTo(handedOut);
            assertThat(server.get(base).status()).as("a lookup that writes nothing still works").isEqualTo(200);
        }
    }
}
