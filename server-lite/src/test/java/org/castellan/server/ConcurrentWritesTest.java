package org.castellan.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.castellan.server.audit.AuditVerifier;
import org.castellan.server.audit.HeadAnchorFile;
import org.castellan.server.audit.SqlAuditLog;
import org.castellan.server.db.Database;
import org.castellan.server.testing.DbSnapshot;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.OnPostgres;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many agents and admins at once: every write lands, none is refused as busy, the audit chain stays whole. */
class ConcurrentWritesTest {
    @TempDir
    Path dataDir;

    @Test
    void parallelEscrowsCommitsAndRevealsKeepTheAuditChainIntact() throws Exception {
        try (TestServer server = TestServer.start(dataDir)) {
            List<TestAgent> agents = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                agents.add(new TestAgent(server).registered());
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<List<Integer>>> results = new ArrayList<>();
                for (TestAgent agent : agents) {
                    results.add(pool.submit(() -> {
                        List<Integer> statuses = new ArrayList<>();
                        for (int j = 0; j < 8; j++) {
                            String rotationId = UUID.randomUUID().toString();
                            statuses.add(agent.escrow("root", rotationId, "Parallel-" + j + "-pw").status());
                            statuses.add(agent.commit(rotationId).status());
                        }
                        return statuses;
                    }));
                    results.add(pool.submit(() -> {
                        List<Integer> statuses = new ArrayList<>();
                        for (int j = 0; j < 8; j++) {
                            int status = server.get("/api/v1/devices/" + agent.deviceId + "/password").status();
                            statuses.add(status == 404 ? 200 : status); // nothing escrowed yet is fine
                        }
                        return statuses;
                    }));
                }
                for (Future<List<Integer>> result : results) {
                    assertThat(result.get()).isSubsetOf(200, 201);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(DbSnapshot.count(dataDir, "SELECT COUNT(*) FROM rotations WHERE state = 'committed'")).isEqualTo(4);
            assertThat(DbSnapshot.count(dataDir, "SELECT COUNT(*) FROM rotations")).isEqualTo(32);
        }
        try (Database db = OnPostgres.open(dataDir)) {
            AuditVerifier.Result result = db.read(c -> new AuditVerifier(new SqlAuditLog(java.time.Clock.systemUTC())).verify(c));
            assertThat(result.intact()).isTrue();
            assertThat(result.rowsChecked()).isGreaterThan(4 + 64);
            // Grouped anchor writes still end at the last committed entry, never before or past it.
            assertThat(new HeadAnchorFile(dataDir).read()).contains(db.read(SqlAuditLog::head));
        }
    }
}
