package org.castellan.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.castellan.server.db.Database;
import org.castellan.server.testing.SqliteOnly;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Appends from many threads through the real write path (SQLite file, writer lock, anchor file):
 * the anchor is never ahead of the committed log while they run, and ends exactly at it. Also
 * measures what the anchor write costs per append (printed; the figure goes in the README).
 */
@SqliteOnly("the anchor file under the embedded writer lock")
class AuditHeadAnchorConcurrencyTest {
    private static final int APPENDS = 1000;
    @TempDir
    Path withAnchor;
    @TempDir
    Path without;

    @Test
    void anchorIsNeverAheadOfTheCommittedLogUnderConcurrentAppends() throws Exception {
        try (Database db = Database.open(withAnchor)) {
            AuditHeadAnchor anchor = AuditHeadAnchor.open(db, withAnchor, new SecureRandom());
            db.listen(anchor);
            SqlAuditLog log = new SqlAuditLog(Clock.systemUTC(), anchor);
            HeadAnchorFile file = new HeadAnchorFile(withAnchor);
            AtomicBoolean running = new AtomicBoolean(true);
            List<String> violations = new ArrayList<>();
            Thread checker = new Thread(() -> {
                while (running.get()) {
                    try {
                        // Anchor first, then the rows, as audit verify reads them.
                        AuditHead anchored = file.read().orElseThrow();
                        Optional<String> problem = db.read(c -> HeadComparison.problem(anchored, SqlAuditLog.head(c),
                                SqlAuditLog.hashOf(c, anchored.id()), SqlAuditLog.countUpTo(c, anchored.id())));
                        problem.ifPresent(violations::add);
                    } catch (Exception e) {
                        violations.add(e.toString());
                    }
                }
            });
            checker.start();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int thread = t;
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < 50; i++) {
                            int n = i;
                            try {
                                db.write(c -> {
                                    log.append(c, AuditEvent.of("system", "test.append", "ok", null, null));
                                    if (n % 5 == 0) {
                                        log.append(c, AuditEvent.of("system", "test.append", "ok", null, null));
                                    }
                                    if (n % 7 == 3) {
                                        // Appended, then rolled back: must never reach the anchor.
                                        throw new IllegalStateException("rolled back on purpose " + thread);
                                    }
                                    return null;
                                });
                            } catch (IllegalStateException expected) {
                                // the deliberate rollback
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
                // And a clean run without rollbacks.
                done.clear();
                for (int t = 0; t < 8; t++) {
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < 40; i++) {
                            db.write(c -> {
                                log.append(c, AuditEvent.of("system", "test.append", "ok", null, null));
                                return null;
                            });
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                running.set(false);
                checker.join();
                pool.shutdownNow();
            }
            assertThat(violations).isEmpty();
            assertThat(anchor.awaitAnchored()).isTrue();
            AuditHead end = db.read(SqlAuditLog::head);
            assertThat(file.read()).contains(end);
            // 8 threads x (50 - 7 rolled back + 10 doubled) + 8 x 40 clean.
            assertThat(end.count()).isEqualTo(8 * (50 - 7 + 10 - 2) + 8 * 40);
            Optional<AuditHead> anchoredHead = file.read();
            assertThat(db.read(c -> new AuditVerifier(log).verify(c, anchoredHead, null)).intact()).isTrue();
            System.out.println("audit anchor: " + anchor.anchorWrites() + " anchor writes for " + end.count()
                    + " entries appended by 8 threads");
            anchor.close();
        }
    }

    @Test
    void anchorWriteCostPerAppendIsMeasured() throws Exception {
        long plain = appendNanos(without, false);
        long anchored = appendNanos(withAnchor, true);
        assertThat(new HeadAnchorFile(withAnchor).read().orElseThrow().count()).isEqualTo(APPENDS);
        System.out.printf("audit anchor benchmark: %d sequential appends: %.3f ms/append without anchor, "
                + "%.3f ms/append with anchor (+%.3f ms)%n", APPENDS, plain / 1e6 / APPENDS, anchored / 1e6 / APPENDS,
                (anchored - plain) / 1e6 / APPENDS);
    }

    @Test
    void anchorWriteCostPerAppendUnderConcurrencyIsMeasured(@TempDir Path plainDir, @TempDir Path anchoredDir)
            throws Exception {
        long plain = concurrentAppendNanos(plainDir, false);
        long anchored = concurrentAppendNanos(anchoredDir, true);
        assertThat(new HeadAnchorFile(anchoredDir).read().orElseThrow().count()).isEqualTo(APPENDS);
        System.out.printf("audit anchor benchmark: %d appends from 8 threads: %.3f ms/append without anchor, "
                + "%.3f ms/append with anchor (+%.3f ms)%n", APPENDS, plain / 1e6 / APPENDS, anchored / 1e6 / APPENDS,
                (anchored - plain) / 1e6 / APPENDS);
    }

    private static long concurrentAppendNanos(Path dir, boolean anchored) throws Exception {
        try (Database db = Database.open(dir); Logged logged = anchoredLog(db, dir, anchored)) {
            SqlAuditLog log = logged.log();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                long start = System.nanoTime();
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < APPENDS / 8; i++) {
                            db.write(c -> {
                                log.append(c, AuditEvent.of("system", "bench.append", "ok", null, null));
                                return null;
                            });
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
                return System.nanoTime() - start;
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private record Logged(SqlAuditLog log, AuditHeadAnchor anchor) implements AutoCloseable {
        @Override
        public void close() {
            if (anchor != null) {
                anchor.close();
            }
        }
    }

    private static Logged anchoredLog(Database db, Path dir, boolean anchored) throws Exception {
        if (!anchored) {
            return new Logged(new SqlAuditLog(Clock.systemUTC()), null);
        }
        AuditHeadAnchor anchor = AuditHeadAnchor.open(db, dir, new SecureRandom());
        db.listen(anchor);
        return new Logged(new SqlAuditLog(Clock.systemUTC(), anchor), anchor);
    }

    private static long appendNanos(Path dir, boolean anchored) throws Exception {
        try (Database db = Database.open(dir); Logged logged = anchoredLog(db, dir, anchored)) {
            SqlAuditLog log = logged.log();
            long start = System.nanoTime();
            for (int i = 0; i < APPENDS; i++) {
                db.write(c -> {
                    log.append(c, AuditEvent.of("system", "bench.append", "ok", null, null));
                    return null;
                });
            }
            return System.nanoTime() - start;
        }
    }
}
