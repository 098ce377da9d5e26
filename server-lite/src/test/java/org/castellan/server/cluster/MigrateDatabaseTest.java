package org.castellan.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.castellan.server.CastellanServer;
import org.castellan.server.cli.ServerMain;
import org.castellan.server.testing.AdminApi;
import org.castellan.server.testing.OnPostgres;
import org.castellan.server.testing.PostgresqlOnly;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestServer;
import org.castellan.testsupport.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code migrate-database}: a populated embedded installation moves to PostgreSQL with every reveal, its history and its audit chain. */
@PostgresqlOnly("moves an embedded installation into its own PostgreSQL database")
class MigrateDatabaseTest {
    @TempDir
    Path tmp;

    @Test
    void aPopulatedInstallationMovesUpWithTheSameRevealsHistoryAndAVerifyingChain() throws Exception {
        Path dir = tmp.resolve("data");
        String token;
        String deviceId;
        String userId;
        JsonNode historyBefore;
        try (TestServer sqlite = TestServer.startEmbedded(dir)) {
            token = sqlite.adminToken;
            TestAgent agent = new TestAgent(sqlite).registered();
            deviceId = agent.deviceId;
            for (String password : List.of("First-Password-1", "Second-Password-2", "Third-Password-3")) {
                String rotation = UUID.randomUUID().toString();
                assertThat(agent.escrow("root", rotation, password).status()).isEqualTo(201);
                assertThat(agent.commit(rotation).status()).isEqualTo(200);
            }
            AdminApi admin = new AdminApi(sqlite);
            userId = admin.user("ann", "a long enough password 1");
            admin.rule(Map.of("name", "ann reads", "principals", List.of("user:" + userId), "targets", List.of("all"),
                    "permissions", List.of("password.read")));
            assertThat(sqlite.get("/api/v1/devices/" + deviceId + "/password?reason=before").status()).isEqualTo(200);
            historyBefore = sqlite.get("/api/v1/devices/" + deviceId + "/password/history").json();
        }
        PostgresServer.Database database = PostgresServer.shared().newDatabase("migrate");
        try {
            Path pw = tmp.resolve("pw");
            Files.writeString(pw, database.password());
            String[] migrate = {"migrate-database", "--data", dir.toString(), "--to", database.url(),
                    "--database-password-file", pw.toString()};
            assertThat(ServerMain.execute(migrate)).isEqualTo(0);
            assertThat(ServerMain.execute(migrate)).as("a non-empty target is refused").isEqualTo(1);

            try (TestServer pg = TestServer.attach(CastellanServer.start(TestServer.config(dir, TestServer.GENEROUS)
                    .withDatabase(OnPostgres.target(database))), dir, token)) {
                JsonNode current = pg.get("/api/v1/devices/" + deviceId + "/password?reason=after").json();
                assertThat(current.get("password").asText()).isEqualTo("Third-Password-3");
                assertThat(pg.get("/api/v1/devices/" + deviceId + "/password/history").json().findValuesAsText("password"))
                        .isEqualTo(historyBefore.findValuesAsText("password"));
                assertThat(pg.get("/api/v1/access?principal=user:" + userId + "&device=" + deviceId).json()
                        .get("permissions").toString()).contains("password.read");
                assertThat(pg.server.verifyAuditChainNow().broken()).isFalse();
                // New entries chain onto the copied ones.
                assertThat(new TestAgent(pg).registered().deviceId).isNotBlank();
            }
            assertThat(ServerMain.execute("audit", "verify", "--data", dir.toString(), "--database", database.url(),
                    "--database-password-file", pw.toString())).isEqualTo(0);
            assertThat(database.sql("SELECT COUNT(*) FROM audit_log")).isNotEqualTo("0");
        } finally {
            database.drop();
        }
    }
}
