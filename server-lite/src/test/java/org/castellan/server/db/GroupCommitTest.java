package org.castellan.server.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.castellan.server.testing.SqliteOnly;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group commit on a real SQLite file: shared commits, per-unit failures, the write() contract. */
@SqliteOnly("the embedded database's writer thread and group commit")
class GroupCommitTest {
    @TempDir
    Path dir;
    private Database db;

    @BeforeEach
    void open() throws Exception {
        db = Database.open(dir);
        db.write(c -> c.createStatement().executeUpdate("CREATE TABLE bench_t (name TEXT PRIMARY KEY)"));
    }

    @org.junit.jupiter.api.AfterEach
    void close() {
        db.close();
    }

    private static int insert(Connection c, String name) throws SQLException {
        try (var st = c.prepareStatement("INSERT INTO bench_t (name) VALUES (?)")) {
            st.setString(1, name);
            return st.executeUpdate();
        }
    }

    private List<String> names() {
        return db.read(c -> {
            List<String> out = new ArrayList<>();
            try (ResultSet rs = c.createStatement().executeQuery("SELECT name FROM bench_t ORDER BY name")) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    @Test
    void writesQueuedTogetherShareOneBatchAndAllCommit() throws Exception {
        long[] before = db.writeBatchesAndUnits();
        List<Future<Integer>> writes = new ArrayList<>();
        try (HeldWriter held = new HeldWriter(db)) {
            for (int i = 0; i < 20; i++) {
                String name = "n" + (100 + i);
                writes.add(held.queue(c -> insert(c, name)));
            }
            held.releaseWhenAllQueued();
            for (Future<Integer> w : writes) {
                assertThat(w.get(10, TimeUnit.SECONDS)).isEqualTo(1);
            }
        }
        long[] after = db.writeBatchesAndUnits();
        assertThat(after[1] - before[1]).as("units").isEqualTo(21);
        assertThat(after[0] - before[0]).as("batches: the holder's, then one for the 20 queued behind it").isEqualTo(2);
        assertThat(names()).hasSize(20);
    }

    @Test
    void aFailingUnitRollsBackOnlyItselfAndItsCallerGetsItsOwnException() throws Exception {
        IllegalStateException planned = new IllegalStateException("refused on purpose");
        try (HeldWriter held = new HeldWriter(db)) {
            Future<Integer> first = held.queue(c -> insert(c, "a"));
            Future<Integer> failing = held.queue(c -> {
                insert(c, "b");
                throw planned;
            });
            Future<Integer> badSql = held.queue(c -> {
                insert(c, "c");
                return c.createStatement().executeUpdate("INSERT INTO no_such_table VALUES (1)");
            });
            Future<Integer> duplicate = held.queue(c -> insert(c, "a")); // sees "a" of the first unit: same batch, in order
            Future<Integer> last = held.queue(c -> insert(c, "d"));
            held.releaseWhenAllQueued();

            assertThat(first.get()).isEqualTo(1);
            assertThat(last.get()).isEqualTo(1);
            assertThatThrownBy(failing::get).isInstanceOf(ExecutionException.class).cause().isSameAs(planned);
            assertThatThrownBy(badSql::get).cause().isInstanceOf(StorageException.class)
                    .hasCauseInstanceOf(SQLException.class);
            assertThatThrownBy(duplicate::get).cause().isInstanceOf(StorageException.class)
                    .rootCause().hasMessageContaining("UNIQUE");
        }
        assertThat(names()).containsExactly("a", "d");
    }

    @Test
    void whenAUnitBreaksTheSharedTransactionNoUnitOfTheBatchReportsSuccessAndLaterWritesStillWork() throws Exception {
        try (HeldWriter held = new HeldWriter(db)) {
            Future<Integer> before = held.queue(c -> insert(c, "before"));
            Future<Boolean> breaker = held.queue(c -> c.createStatement().execute("ROLLBACK")); // around the guard
            Future<Integer> after = held.queue(c -> insert(c, "after"));
            held.releaseWhenAllQueued();
            for (Future<?> f : List.of(before, breaker, after)) {
                assertThatThrownBy(f::get).cause().isInstanceOf(StorageException.class);
            }
        }
        assertThat(names()).isEmpty();
        int inserted = db.write(c -> insert(c, "later"));
        assertThat(inserted).isEqualTo(1);
        assertThat(names()).containsExactly("later");
    }

    @Test
    void aWriteReturnsOnlyOnceItsWorkIsCommittedAndVisibleToOtherConnections() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<String>>> seen = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                seen.add(pool.submit(() -> {
                    List<String> missing = new ArrayList<>();
                    for (int i = 0; i < 25; i++) {
                        String name = "t" + thread + "-" + i;
                        db.write(c -> insert(c, name));
                        // A reader on another pooled connection only sees committed data.
                        boolean visible = db.read(c -> {
                            try (var st = c.prepareStatement("SELECT 1 FROM bench_t WHERE name = ?")) {
                                st.setString(1, name);
                                return st.executeQuery().next();
                            }
                        });
                        if (!visible) {
                            missing.add(name);
                        }
                    }
                    return missing;
                }));
            }
            for (Future<List<String>> s : seen) {
                assertThat(s.get(60, TimeUnit.SECONDS)).isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(names()).hasSize(200);
    }

    @Test
    void aNestedWriteIsRefusedAndTheOuterWorkRollsBack() {
        assertThatThrownBy(() -> db.write(c -> {
            insert(c, "outer");
            return db.write(inner -> insert(inner, "inner"));
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("nested");
        assertThat(names()).isEmpty();
    }

    @Test
    void aUnitCannotEndTheTransactionItSharesWithItsBatch() {
        assertThatThrownBy(() -> db.write(c -> {
            insert(c, "x");
            c.commit();
            return null;
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("commit");
        assertThatThrownBy(() -> db.write(c -> {
            c.close();
            return null;
        })).isInstanceOf(IllegalStateException.class);
        assertThat(names()).isEmpty();
        int inserted = db.write(c -> insert(c, "after"));
        assertThat(inserted).isEqualTo(1);
    }

    @Test
    void writesQueuedBeforeCloseStillCommitAndLaterOnesAreRefused() throws Exception {
        Future<Integer> queued;
        try (HeldWriter held = new HeldWriter(db)) {
            queued = held.queue(c -> insert(c, "queued"));
            // The write must be in the queue before the close begins; otherwise, on a loaded
            // machine, the close can win and the write is (rightly) refused.
            held.awaitAllParked();
            Thread closer = new Thread(db::close);
            closer.start();
            held.releaseWhenAllQueued();
            closer.join(10_000);
            assertThat(queued.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        }
        assertThatThrownBy(() -> db.write(c -> insert(c, "late"))).isInstanceOf(StorageException.class)
                .hasMessageContaining("closed");
        try (Database reopened = Database.open(dir)) {
            String stored = reopened.read(c -> {
                try (ResultSet rs = c.createStatement().executeQuery("SELECT name FROM bench_t")) {
                    return rs.next() ? rs.getString(1) : null;
                }
            });
            assertThat(stored).isEqualTo("queued");
        }
    }
}
