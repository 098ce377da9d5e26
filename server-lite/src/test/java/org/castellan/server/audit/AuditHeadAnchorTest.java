package org.castellan.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.castellan.server.CastellanServer;
import org.castellan.server.cli.ServerMain;
import org.castellan.server.db.Database;
import org.castellan.server.testing.DbSnapshot;
import org.castellan.server.testing.SqliteOnly;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The head anchor ({@code DIR/audit/head}) makes deleting the newest audit entries, or putting
 * back an older database, visible: to {@code audit verify}, to the next server start, and to the
 * running server's next append. Real server, real SQLite file, tampering through plain JDBC.
 */
@SqliteOnly("DIR/audit/head as the embedded database's anchor; PostgreSQL's is the chain head row (TwoNodesOnPostgresTest)")
class AuditHeadAnchorTest {
    @TempDir
    Path dataDir;
    @TempDir
    Path elsewhere;

    @Test
    void intactLogVerifiesAndPrintsTheAnchoredHead() throws Exception {
        String token = serveAndAudit(3);
        assertThat(token).isNotEmpty();
        AuditHead end = dbEnd();
        Verified result = verify();
        assertThat(result.exitCode).isZero();
        assertThat(result.out).contains("Audit log intact: " + end.count() + " entries verified; head " + end.id()
                + " " + end.hash() + ".");
        assertThat(new HeadAnchorFile(dataDir).read()).contains(end);
    }

    @Test
    void anchorFilesAreOwnerOnly() throws Exception {
        serveAndAudit(1);
        Path dir = dataDir.resolve("audit");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("head")))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("anchor.key")))).isEqualTo("rw-------");
        assertThat(Files.size(dir.resolve("anchor.key"))).isEqualTo(32);
        assertThat(dir.resolve("head.tmp")).doesNotExist();
    }

    @Test
    void deletingTheNewestEntryIsReportedAsTruncation() throws Exception {
        serveAndAudit(3);
        long last = dbEnd().id();
        sql("DELETE FROM audit_log WHERE id = " + last);
        Verified result = verify();
        assertThat(result.exitCode).isEqualTo(1);
        assertThat(result.out).contains("Audit log BROKEN: the last 1 entries are missing (anchor says entry " + last
                + ", database ends at entry " + (last - 1) + ")");
    }

    @Test
    void deletingTheNewestThreeEntriesIsReportedAsTruncation() throws Exception {
        serveAndAudit(3);
        long last = dbEnd().id();
        sql("DELETE FROM audit_log WHERE id > " + (last - 3));
        Verified result = verify();
        assertThat(result.exitCode).isEqualTo(1);
        assertThat(result.out).contains("the last 3 entries are missing (anchor says entry " + last
                + ", database ends at entry " + (last - 3) + ")");
    }

    @Test
    void deletingEveryEntryIsReported() throws Exception {
        serveAndAudit(2);
        AuditHead end = dbEnd();
        sql("DELETE FROM audit_log");
        Verified result = verify();
        assertThat(result.exitCode).isEqualTo(1);
        assertThat(result.out).contains("the last " + end.count() + " entries are missing (anchor says entry " + end.id()
                + ", database ends at entry 0)");
    }

    @Test
    void editedAnchorFailsItsHmac() throws Exception {
        serveAndAudit(3);
        Path head = dataDir.resolve("audit/head");
        AuditHead end = dbEnd();
        // The attacker shortens the DB and moves the anchor back to match, but cannot re-sign it.
        sql("DELETE FROM audit_log WHERE id = " + end.id());
        String shortened = dbEnd().hash();
        Files.writeString(head, Files.readString(head)
                .replace("id " + end.id() + "\n", "id " + (end.id() - 1) + "\n")
                .replace(end.hash(), shortened)
                .replace("count " + end.count() + "\n", "count " + (end.count() - 1) + "\n"));
        Verified result = verify();
        assertThat(result.exitCode).isEqualTo(1);
        assertThat(result.out).contains("Audit log BROKEN").contains("fails its HMAC check");
        assertThatThrownBy(this::restart).isInstanceOf(AuditAnchorException.class).hasMessageContaining("HMAC");
    }

    @Test
    void olderCopyOfTheDatabaseIsReportedAsRollbackAndTheServerRefusesToStart() throws Exception {
        String token = serveAndAudit(2);
        AuditHead before = dbEnd();
        copyDatabase(dataDir, elsewhere);
        try (TestServer server = TestServer.attach(restart(), dataDir, token)) {
            audited(server, 4);
        }
        AuditHead after = dbEnd();
        copyDatabase(elsewhere, dataDir);
        Verified result = verify();
        assertThat(result.exitCode).isEqualTo(1);
        assertThat(result.out).contains("the last " + (after.count() - before.count()) + " entries are missing (anchor says entry "
                + after.id() + ", database ends at entry " + before.id() + ")");
        assertThatThrownBy(this::restart).isInstanceOf(AuditAnchorException.class)
                .hasMessageContaining("entries are missing").hasMessageContaining("audit re-anchor");
        // The refusal did not move the anchor over the evidence.
        assertThat(new HeadAnchorFile(dataDir).read()).contains(after);
    }

    @Test
    void resetAnchorAcceptsADeliberateRestore() throws Exception {
        String token = serveAndAudit(2);
        copyDatabase(dataDir, elsewhere);
        try (TestServer server = TestServer.attach(restart(), dataDir, token)) {
            audited(server, 2);
        }
        copyDatabase(elsewhere, dataDir);
        assertThat(verify().exitCode).isEqualTo(1);
        Verified reset = verify("--reset-anchor");
        assertThat(reset.exitCode).isZero();
        assertThat(reset.out).contains("Audit head anchor reset to entry " + dbEnd().id());
        assertThat(verify().exitCode).isZero();
        restart().stop();
    }

    @Test
    void restartsKeepTheAnchorAtTheEndOfTheLog() throws Exception {
        String token = serveAndAudit(2);
        for (int i = 0; i < 2; i++) {
            try (TestServer server = TestServer.attach(restart(), dataDir, token)) {
                audited(server, 2);
            }
            assertThat(new HeadAnchorFile(dataDir).read()).contains(dbEnd());
            assertThat(verify().exitCode).isZero();
        }
    }

    @Test
    void truncationWhileTheServerRunsIsRefusedNotAnchoredOver() throws Exception {
        try (TestServer server = TestServer.start(dataDir)) {
            audited(server, 3);
            assertThat(server.server.awaitAuditAnchored()).isTrue();
            AuditHead end = dbEnd();
            sql("DELETE FROM audit_log WHERE id = " + end.id());
            TestServer.Reply reply = server.post("/api/v1/registration-keys", Map.of("name", "after-tamper"));
            assertThat(reply.status()).isEqualTo(500);
            assertThat(new HeadAnchorFile(dataDir).read()).contains(end);
        }
        Verified result = verify();
        assertThat(result.exitCode).isEqualTo(1);
        assertThat(result.out).contains("the last 1 entries are missing");
    }

    @Test
    void missingAnchorOnANonEmptyLogIsReported() throws Exception {
        serveAndAudit(1);
        Files.delete(dataDir.resolve("audit/head"));
        Verified result = verify();
        assertThat(result.exitCode).isEqualTo(1);
        assertThat(result.out).contains("Audit log UNANCHORED");
        // The key is still there, so this is not an upgrade: the server refuses too.
        assertThatThrownBy(this::restart).isInstanceOf(AuditAnchorException.class).hasMessageContaining("missing");
    }

    @Test
    void aNonEmptyLogWithoutAnyAnchorMaterialIsRefusedUntilAnAuditedReanchor() throws Exception {
        String token = serveAndAudit(3);
        // Delete the newest rows, then the whole audit/ directory: this used to re-anchor with a warning,
        // after which 'audit verify' said "intact".
        long last = dbEnd().id();
        sql("DELETE FROM audit_log WHERE id > " + (last - 2));
        assertThat(dbEnd().count()).isPositive();
        Files.delete(dataDir.resolve("audit/head"));
        Files.delete(dataDir.resolve("audit/anchor.key"));
        Files.delete(dataDir.resolve("audit"));
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(this::restart).isInstanceOf(AuditAnchorException.class)
                    .hasMessageContaining("no head anchor").hasMessageContaining(AnchorRule.RECOVERY);
        }
        assertThat(dataDir.resolve("audit")).as("the refusal wrote no new anchor").doesNotExist();
        assertThat(verify().out).contains("UNANCHORED");

        Verified reanchored = run("audit", "re-anchor", "--data", dataDir.toString(), "--reason", "ticket 42: restored");
        assertThat(reanchored.exitCode).as(reanchored.out).isZero();
        AuditHead end = dbEnd();
        assertThat(reanchored.out).contains("Audit log re-anchored at entry " + end.id()).contains("it was no anchor");
        try (var c = org.castellan.server.testing.DbSnapshot.open(dataDir); var st = c.createStatement();
             var rs = st.executeQuery("SELECT principal, action, reason, detail FROM audit_log WHERE id = " + end.id())) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("principal")).isEqualTo("system");
            assertThat(rs.getString("action")).isEqualTo(Reanchor.ACTION);
            assertThat(rs.getString("reason")).isEqualTo("ticket 42: restored");
            assertThat(rs.getString("detail")).contains("\"anchorWas\":\"no anchor\"").contains("\"operator\":");
        }
        try (TestServer server = TestServer.attach(restart(), dataDir, token)) {
            audited(server, 1);
        }
        assertThat(verify().exitCode).isZero();
    }

    @Test
    void anUnreadableAnchorStopsServeNamingTheProblemAndTheRecoveryCommand() throws Exception {
        serveAndAudit(1);
        // A directory where the head file should be: unreadable even for root.
        Files.delete(dataDir.resolve("audit/head"));
        Files.createDirectory(dataDir.resolve("audit/head"), java.nio.file.attribute.PosixFilePermissions
                .asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = ServerMain.execute("serve", "--data", dataDir.toString(), "--listen", "127.0.0.1:0");
        } finally {
            System.setErr(original);
        }
        assertThat(code).isEqualTo(1);
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("cannot be read").contains(AnchorRule.RECOVERY)
                .doesNotContain("\tat ");
    }

    @Test
    void reanchorRefusesABrokenChainAndNeedsAReason() throws Exception {
        serveAndAudit(2);
        // The older spelling, audit verify --reset-anchor, checks its reason the same way.
        assertThat(ServerMain.execute("audit", "verify", "--data", dataDir.toString(), "--reset-anchor", "--reason",
                "ok\nforged line")).isEqualTo(2);
        assertThat(ServerMain.execute("audit", "verify", "--data", dataDir.toString(), "--reset-anchor", "--reason",
                "\u00a0")).isEqualTo(2);
        assertThat(org.castellan.server.testing.DbSnapshot.count(dataDir, "SELECT COUNT(*) FROM audit_log WHERE action = 'audit.re-anchor'")).isZero();
        sql("UPDATE audit_log SET reason = 'edited' WHERE id = 2");
        Verified broken = run("audit", "re-anchor", "--data", dataDir.toString(), "--reason", "try");
        assertThat(broken.exitCode).isEqualTo(1);
        assertThat(broken.out).contains("NOT re-anchored").contains("BROKEN at entry 2");
        assertThat(ServerMain.execute("audit", "re-anchor", "--data", dataDir.toString())).isEqualTo(2);
        assertThat(ServerMain.execute("audit", "re-anchor", "--data", dataDir.toString(), "--reason", " ")).isEqualTo(2);
        // No-break and ideographic spaces are white space too, not a reason.
        assertThat(ServerMain.execute("audit", "re-anchor", "--data", dataDir.toString(), "--reason", "\u00a0\u3000"))
                .isEqualTo(2);
    }

    @Test
    void expectedHeadRecordedEarlierMustStillBeInTheLog() throws Exception {
        String token = serveAndAudit(2);
        String recorded = dbEnd().hash();
        try (TestServer server = TestServer.attach(restart(), dataDir, token)) {
            audited(server, 2);
        }
        Verified ok = verify("--expect-head", recorded.toUpperCase());
        assertThat(ok.exitCode).isZero();
        assertThat(ok.out).contains("Expected head " + recorded + " is entry");
        Verified unknown = verify("--expect-head", "ab".repeat(32));
        assertThat(unknown.exitCode).isEqualTo(1);
        assertThat(unknown.out).contains("is not in the log");
        assertThat(verify("--expect-head", "nothex").exitCode).isEqualTo(2);
    }

    @Test
    void serveExitsOneNamingTheTruncation() throws Exception {
        serveAndAudit(2);
        sql("DELETE FROM audit_log WHERE id = " + dbEnd().id());
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = ServerMain.execute("serve", "--data", dataDir.toString(), "--listen", "127.0.0.1:0");
        } finally {
            System.setErr(original);
        }
        assertThat(code).isEqualTo(1);
        assertThat(captured.toString(StandardCharsets.UTF_8))
                .contains("castellan-server: the audit log does not match its head anchor: the last 1 entries are missing");
    }

    // --- helpers ---

    /** First start (fresh data directory) plus {@code n} audited admin actions; returns the admin token. */
    private String serveAndAudit(int n) throws Exception {
        try (TestServer server = TestServer.start(dataDir)) {
            audited(server, n);
            return server.adminToken;
        }
    }

    private static void audited(TestServer server, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            assertThat(server.post("/api/v1/registration-keys", Map.of("name", "key-" + System.nanoTime())).status())
                    .isEqualTo(201);
        }
    }

    private CastellanServer restart() throws Exception {
        return CastellanServer.start(TestServer.config(dataDir, TestServer.GENEROUS));
    }

    private AuditHead dbEnd() throws Exception {
        try (Connection c = DbSnapshot.open(dataDir)) {
            return SqlAuditLog.head(c);
        }
    }

    private static void copyDatabase(Path from, Path to) throws Exception {
        for (String name : new String[] {Database.FILE_NAME, Database.FILE_NAME + "-wal", Database.FILE_NAME + "-shm"}) {
            Files.deleteIfExists(to.resolve(name));
            if (Files.exists(from.resolve(name))) {
                Files.copy(from.resolve(name), to.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private record Verified(int exitCode, String out) {}

    private Verified verify(String... extra) {
        String[] args = new String[3 + extra.length];
        args[0] = "audit";
        args[1] = "verify";
        args[2] = "--data=" + dataDir;
        System.arraycopy(extra, 0, args, 3, extra.length);
        return run(args);
    }

    private Verified run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int code = ServerMain.execute(args);
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
