package org.castellan.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.castellan.server.cli.ServerMain;
import org.castellan.server.testing.DbSnapshot;
import org.castellan.server.testing.OnPostgres;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code audit verify} passes on an intact chain and names the first entry after any tampering. */
class AuditVerifyTest {
    @TempDir
    static Path template;
    @TempDir
    Path dataDir;

    /** One server run makes the history; each test tampers with its own copy of the database. */
    @BeforeAll
    static void someHistory() throws Exception {
        try (TestServer server = TestServer.start(template)) {
            TestAgent agent = new TestAgent(server).registered();
            for (int i = 0; i < 2; i++) {
                String rotationId = UUID.randomUUID().toString();
                agent.escrow("root", rotationId, "Pass-Word-" + i + "xyz");
                agent.commit(rotationId);
            }
            server.get("/api/v1/devices/" + agent.deviceId + "/password?reason=check");
        }
        assertThat(DbSnapshot.count(template, "SELECT COUNT(*) FROM audit_log")).isGreaterThanOrEqualTo(6);
    }

    @BeforeEach
    void copyDatabase() throws Exception {
        OnPostgres.copyDatabase(template, dataDir);
        for (String name : new String[] {"castellan.db", "castellan.db-wal", "castellan.db-shm"}) {
            if (Files.exists(template.resolve(name))) {
                Files.copy(template.resolve(name), dataDir.resolve(name));
            }
        }
        // The head anchor and its key travel with the database copy.
        Files.createDirectory(dataDir.resolve("audit"));
        for (String name : new String[] {"head", "anchor.key"}) {
            Files.copy(template.resolve("audit").resolve(name), dataDir.resolve("audit").resolve(name));
        }
    }

    @Test
    void intactChainVerifies() {
        Verified result = verify();
        assertThat(result.exitCode).isZero();
        assertThat(result.out).contains("Audit log intact");
    }

    @Test
    void editedRowIsNamed() throws Exception {
        sql("UPDATE audit_log SET outcome = 'denied' WHERE id = 3");
        Verified result = verify();
        assertThat(result.exitCode).isEqualTo(1);
        assertThat(result.out).contains("entry 3").contains("edited");
    }

    @Test
    void editedRowWithRecomputedOwnHashStillBreaksTheNextLink() throws Exception {
        sql("UPDATE audit_log SET hash = '" + "a".repeat(64) + "' WHERE id = 2");
        Verified result = verify();
        assertThat(result.exitCode).isEqualTo(1);
        assertThat(result.out).contains("entry 2");
    }

    @Test
    void deletedRowIsNamedByTheEntryAfterIt() throws Exception {
        sql("DELETE FROM audit_log WHERE id = 3");
        Verified result = verify();
        assertThat(result.exitCode).isEqualTo(1);
        assertThat(result.out).contains("entry 4");
    }

    @Test
    void reorderedRowsAreNamed() throws Exception {
        // Swap the content of rows 2 and 3, hashes included, so each row is self-consistent.
        sql("UPDATE audit_log SET id = -2 WHERE id = 2",
                "UPDATE audit_log SET id = 2 WHERE id = 3",
                "UPDATE audit_log SET id = 3 WHERE id = -2");
        Verified result = verify();
        assertThat(result.exitCode).isEqualTo(1);
        assertThat(result.out).contains("entry 2");
    }

    @Test
    void commandWithoutSubcommandIsAUsageError() {
        assertThat(ServerMain.execute()).isEqualTo(2);
        assertThat(ServerMain.execute("audit")).isEqualTo(2);
    }

    @Test
    void missingDatabaseIsAnError() {
        assertThat(ServerMain.execute("audit", "verify", "--data", dataDir.resolve("none").toString())).isEqualTo(2);
    }

    private record Verified(int exitCode, String out) {}

    private Verified verify() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            List<String> args = new ArrayList<>(List.of("audit", "verify", "--data", dataDir.toString()));
            args.addAll(OnPostgres.toolArguments(dataDir));
            int code = ServerMain.execute(args.toArray(String[]::new));
            return new Verified(code, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }

    private void sql(String... statements) throws Exception {
        try (Connection c = DbSnapshot.open(dataDir); Statement st = c.createStatement()) {
            for (String statement : statements) {
                st.executeUpdate(statement);
            }
        }
    }
}
