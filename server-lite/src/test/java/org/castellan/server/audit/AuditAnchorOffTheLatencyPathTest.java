package org.castellan.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.castellan.server.db.Database;
import org.castellan.server.testing.SqliteOnly;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The anchor's file and directory fsyncs are off the request path (issue 11): a write that appends
 * to the audit log returns once its commit is durable, while the anchor thread is still writing
 * (here: held). The anchor is never ahead of the log, catches up to exactly its end, and a failed
 * anchor write is retried without failing any request.
 */
@SqliteOnly("the anchor file the embedded database's writer thread keeps")
class AuditAnchorOffTheLatencyPathTest {
    @TempDir
    Path dir;

    @Test
    void appendsAreAnsweredWhileTheAnchorWriteIsHeldAndTheAnchorThenCatchesUpExactly() throws Exception {
        Semaphore allowed = new Semaphore(0);
        CountDownLatch writing = new CountDownLatch(1);
        try (Database db = Database.open(dir)) {
            AuditHeadAnchor anchor = AuditHeadAnchor.open(db, dir, new SecureRandom(), real -> head -> {
                writing.countDown();
                allowed.acquireUninterruptibly();
                real.write(head);
            }, Duration.ZERO);
            db.listen(anchor);
            SqlAuditLog log = new SqlAuditLog(Clock.systemUTC(), anchor);
            HeadAnchorFile file = new HeadAnchorFile(dir);
            AuditHead before = file.read().orElseThrow();

            append(db, log);
            assertThat(writing.await(30, TimeUnit.SECONDS)).as("the anchor thread started its write").isTrue();
            // The anchor write is held, yet more appends are answered: none waits for it.
            for (int i = 0; i < 9; i++) {
                append(db, log);
            }
            AuditHead end = db.read(SqlAuditLog::head);
            assertThat(end.count()).isEqualTo(10);
            assertThat(file.read()).as("the anchor never runs ahead; here it is still at the start").contains(before);
            assertThat(anchor.lagEntries()).isEqualTo(10);

            allowed.release(1_000);
            assertThat(anchor.awaitAnchored()).isTrue();
            assertThat(file.read()).contains(end);
            assertThat(anchor.lagEntries()).isZero();
            assertThat(anchor.anchorWrites()).as("the held write plus one covering the nine behind it").isEqualTo(2);
            anchor.close();
        }
    }

    @Test
    void aFailedAnchorWriteFailsNoRequestAndIsRetried() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        try (Database db = Database.open(dir)) {
            AuditHeadAnchor anchor = AuditHeadAnchor.open(db, dir, new SecureRandom(), real -> head -> {
                if (attempts.incrementAndGet() == 1) {
                    throw new IOException("No space left on device");
                }
                real.write(head);
            }, Duration.ZERO);
            db.listen(anchor);
            SqlAuditLog log = new SqlAuditLog(Clock.systemUTC(), anchor);
            append(db, log); // answered although its anchor write fails
            AuditHead end = db.read(SqlAuditLog::head);
            while (anchor.anchorWrites() == 0) {
                anchor.awaitAnchored(); // false after the failure, true once the retry wrote
            }
            assertThat(anchor.anchorWriteFailures()).isEqualTo(1);
            assertThat(new HeadAnchorFile(dir).read()).contains(end);
            anchor.close();
        }
    }

    @Test
    void closingWritesTheFinalHead() throws Exception {
        try (Database db = Database.open(dir)) {
            AuditHeadAnchor anchor = AuditHeadAnchor.open(db, dir, new SecureRandom());
            db.listen(anchor);
            SqlAuditLog log = new SqlAuditLog(Clock.systemUTC(), anchor);
            for (int i = 0; i < 5; i++) {
                append(db, log);
            }
            AuditHead end = db.read(SqlAuditLog::head);
            anchor.close();
            assertThat(new HeadAnchorFile(dir).read()).contains(end);
        }
    }

    @Test
    void anchorWritesAreAnIntervalApartAndTheAnchorStillCatchesUpExactly() throws Exception {
        Duration interval = Duration.ofMillis(200);
        List<Long> writtenAt = new CopyOnWriteArrayList<>();
        try (Database db = Database.open(dir)) {
            AuditHeadAnchor anchor = AuditHeadAnchor.open(db, dir, new SecureRandom(), real -> head -> {
                writtenAt.add(System.nanoTime());
                real.write(head);
            }, interval);
            db.listen(anchor);
            SqlAuditLog log = new SqlAuditLog(Clock.systemUTC(), anchor);
            append(db, log);
            assertThat(anchor.awaitAnchored()).isTrue();
            assertThat(anchor.anchorWrites()).as("a commit after a quiet spell is anchored without waiting").isEqualTo(1);
            long until = System.nanoTime() + 3 * interval.toNanos();
            int appends = 0;
            while (System.nanoTime() < until) {
                append(db, log);
                appends++;
            }
            assertThat(anchor.awaitAnchored()).isTrue();
            AuditHead end = db.read(SqlAuditLog::head);
            assertThat(new HeadAnchorFile(dir).read()).as("caught up to exactly the end").contains(end);
            assertThat(anchor.lagEntries()).isZero();
            assertThat(anchor.anchorWrites()).as("far fewer writes than the %d commits", appends).isLessThan(appends);
            for (int i = 1; i < writtenAt.size(); i++) {
                assertThat(writtenAt.get(i) - writtenAt.get(i - 1)).as("write %d after write %d", i, i - 1)
                        .isGreaterThanOrEqualTo(interval.toNanos() - Duration.ofMillis(2).toNanos());
            }
            anchor.close();
        }
    }

    @Test
    void closingWritesTheFinalHeadWithoutWaitingForTheInterval() throws Exception {
        try (Database db = Database.open(dir)) {
            AuditHeadAnchor anchor = AuditHeadAnchor.open(db, dir, new SecureRandom(), w -> w, Duration.ofHours(1));
            db.listen(anchor);
            SqlAuditLog log = new SqlAuditLog(Clock.systemUTC(), anchor);
            append(db, log);
            assertThat(anchor.awaitAnchored()).isTrue();
            append(db, log); // an hour before its anchor write is due
            append(db, log);
            AuditHead end = db.read(SqlAuditLog::head);
            assertThat(new HeadAnchorFile(dir).read().orElseThrow()).as("held back by the interval").isNotEqualTo(end);
            assertTimeoutPreemptively(Duration.ofSeconds(30), anchor::close, "a stop writes at once");
            assertThat(new HeadAnchorFile(dir).read()).contains(end);
        }
    }

    private static void append(Database db, SqlAuditLog log) {
        db.write(c -> {
            log.append(c, AuditEvent.of("system", "test.append", "ok", null, null));
            return null;
        });
    }
}
