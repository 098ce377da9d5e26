package org.castellan.server.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;
import org.castellan.server.audit.AuditEvent;
import org.castellan.server.audit.AuditHead;
import org.castellan.server.audit.AuditHeadAnchor;
import org.castellan.server.audit.AuditVerifier;
import org.castellan.server.audit.HeadAnchorFile;
import org.castellan.server.audit.SqlAuditLog;
import org.castellan.server.testing.SqliteOnly;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Audit appends from several requests in one batch: each chains onto the one before it in the
 * batch, a unit rolled back to its savepoint leaves no gap in the chain nor in the anchor's idea of
 * the head, and the anchor is written once for the batch, at its end, before any caller returns.
 */
@SqliteOnly("audit appends batched by the embedded database's group commit")
class GroupCommitAuditChainTest {
    @TempDir
    Path dir;

    @Test
    void appendsOfOneBatchChainInOrderAndTheAnchorEndsAtTheBatchsLastCommittedEntry() throws Exception {
        try (Database db = Database.open(dir)) {
            AuditHeadAnchor anchor = AuditHeadAnchor.open(db, dir, new SecureRandom());
            db.listen(anchor);
            SqlAuditLog log = new SqlAuditLog(Clock.systemUTC(), anchor);
            HeadAnchorFile file = new HeadAnchorFile(dir);
            long anchorWritesBefore = anchor.anchorWrites();
            IllegalStateException planned = new IllegalStateException("rolled back on purpose");
            Future<Void> failing;
            List<Future<AuditHead>> appends;
            try (HeldWriter held = new HeldWriter(db)) {
                Future<AuditHead> first = held.queue(c -> append(log, c, "one"));
                failing = held.queue(c -> {
                    append(log, c, "rolled-back");
                    throw planned;
                });
                Future<AuditHead> second = held.queue(c -> {
                    append(log, c, "two");
                    return append(log, c, "three");
                });
                Future<AuditHead> readOnly = held.queue(SqlAuditLog::head); // appends nothing
                appends = List.of(first, second, readOnly);
                held.releaseWhenAllQueued();
                for (Future<AuditHead> f : appends) {
                    f.get();
                }
            }
            assertThatThrownBy(failing::get).cause().isSameAs(planned);

            AuditHead end = db.read(SqlAuditLog::head);
            assertThat(end.count()).isEqualTo(3);
            assertThat(appends.get(1).get()).isEqualTo(end);
            assertThat(anchor.awaitAnchored()).isTrue();
            assertThat(file.read()).contains(end);
            assertThat(anchor.anchorWrites() - anchorWritesBefore).as("one anchor write for the batch").isEqualTo(1);
            Optional<AuditHead> anchored = file.read();
            assertThat(db.read(c -> new AuditVerifier(log).verify(c, anchored, null)).intact()).isTrue();

            // The anchor still follows the next commits: its staged head was not left at the undone entry.
            db.write(c -> append(log, c, "four"));
            assertThat(anchor.awaitAnchored()).isTrue();
            assertThat(file.read().orElseThrow().count()).isEqualTo(4);
            anchor.close();
        }
    }

    private static AuditHead append(SqlAuditLog log, java.sql.Connection c, String detail) throws java.sql.SQLException {
        log.append(c, AuditEvent.of("system", "test.append", "ok", null, detail));
        return SqlAuditLog.head(c);
    }
}
