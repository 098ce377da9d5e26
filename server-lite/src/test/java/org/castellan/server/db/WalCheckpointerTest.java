package org.castellan.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.castellan.server.testing.SqliteOnly;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded database's WAL is checkpointed by its own thread, and inside a commit of the writer
 * only past {@link WalCheckpointer#WRITER_CHECKPOINT_PAGES} (issue 11: the database file's fsync in
 * the writer's commits held up every queued write), which keeps the WAL bounded under any load.
 * Real SQLite file, real server database code, sizes read from the files themselves.
 */
@SqliteOnly("the embedded database's WAL")
class WalCheckpointerTest {
    private static final int PAGE = 4096;
    /** SQLite's default auto-checkpoint: a commit taking the WAL past this many pages checkpoints. */
    private static final int AUTO_CHECKPOINT_PAGES = 1_000;
    private static final int ROWS = 3_000; // 3,000 rows of 2 KiB: ~1,500 pages of WAL, past the default
    private static final int FRAME = PAGE + 24; // a WAL frame: its header and one page

    @TempDir
    Path dir;

    @Test
    void theWritersCommitsDoNotCheckpointAtSqlitesDefaultAndTheCheckpointerCopiesEverything() throws Exception {
        try (SqliteDatabase db = SqliteDatabase.open(dir, Duration.ofHours(1))) { // held back: only checkpointNow()
            long fileBefore = Files.size(dir.resolve(Database.FILE_NAME));
            writeRows(db, ROWS);
            long wal = Files.size(dir.resolve(Database.FILE_NAME + "-wal"));
            assertThat(wal).as("no commit of the writer checkpointed: the WAL grew past SQLite's %d-page default",
                    AUTO_CHECKPOINT_PAGES).isGreaterThan((long) AUTO_CHECKPOINT_PAGES * PAGE);
            assertThat(Files.size(dir.resolve(Database.FILE_NAME))).as("nothing copied into the file yet")
                    .isEqualTo(fileBefore);
            assertThat(db.<Integer>read(WalCheckpointerTest::count)).isEqualTo(ROWS);

            assertThat(db.checkpointer().checkpointNow()).as("frames left behind").isZero();
            assertThat(Files.size(dir.resolve(Database.FILE_NAME))).as("the rows are in the database file now")
                    .isGreaterThan(fileBefore + (long) ROWS * 2048);

            // A complete checkpoint lets the next commit start the WAL again from its beginning.
            writeRows(db, 10);
            assertThat(Files.size(dir.resolve(Database.FILE_NAME + "-wal"))).isEqualTo(wal);
            assertThat(db.<Integer>read(WalCheckpointerTest::count)).isEqualTo(ROWS + 10);
        }
    }

    @Test
    void theBackgroundThreadCheckpointsAfterWritesAndRestsWhenNothingWasWritten() throws Exception {
        Duration every = Duration.ofMillis(50);
        try (SqliteDatabase db = SqliteDatabase.open(dir, every)) {
            long fileBefore = Files.size(dir.resolve(Database.FILE_NAME));
            writeRows(db, ROWS);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (Files.size(dir.resolve(Database.FILE_NAME)) < fileBefore + (long) ROWS * 2048
                    && System.nanoTime() < deadline) {
                Thread.sleep(every.toMillis());
            }
            assertThat(Files.size(dir.resolve(Database.FILE_NAME))).as("checkpointed by the thread")
                    .isGreaterThan(fileBefore + (long) ROWS * 2048);

            io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
                    new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
            db.checkpointer().bindTo(registry);
            Thread.sleep(every.toMillis() * 4); // the checkpoint after the last write has run
            double settled = registry.get("castellan.db.wal.checkpoints").functionCounter().count();
            Thread.sleep(every.toMillis() * 20);
            assertThat(registry.get("castellan.db.wal.checkpoints").functionCounter().count())
                    .as("no checkpoint without a commit").isEqualTo(settled);
            writeRows(db, 1);
            deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (registry.get("castellan.db.wal.checkpoints").functionCounter().count() == settled
                    && System.nanoTime() < deadline) {
                Thread.sleep(every.toMillis());
            }
            assertThat(registry.get("castellan.db.wal.checkpoints").functionCounter().count())
                    .as("a commit wakes it again").isGreaterThan(settled);
            assertThat(registry.get("castellan.db.wal.frames.behind").gauge().value()).isZero();
        }
    }

    /**
     * A passive checkpoint never lets the WAL start again while commits keep coming, so without
     * the writer's own checkpoint past {@link WalCheckpointer#WRITER_CHECKPOINT_PAGES} the WAL
     * grows by everything written (1.1 GB in 24 s of check-ins, measured). Four writers commit
     * back to back, a reader keeps read snapshots open and the checkpointer runs every 10 ms:
     * about four times the bound is written, and the WAL file never grows much past the bound.
     */
    @Test
    void theWalStaysBoundedUnderCommitsThatNeverPause() throws Exception {
        int writers = 4;
        int transactions = 1_000; // per writer, of 10 rows of 2 KiB: ~20,000 pages in all
        try (SqliteDatabase db = SqliteDatabase.open(dir, Duration.ofMillis(10))) {
            writeRows(db, 1); // creates the table
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong largestWal = new AtomicLong();
            Path walFile = dir.resolve(Database.FILE_NAME + "-wal");
            Thread reader = new Thread(() -> {
                while (writing.get()) {
                    db.<Integer>read(WalCheckpointerTest::firstRowSize); // a short read, as a reveal's
                    try {
                        largestWal.accumulateAndGet(Files.size(walFile), Math::max);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            });
            reader.start();
            var pool = Executors.newFixedThreadPool(writers);
            try {
                var done = new ArrayList<Future<?>>();
                for (int w = 0; w < writers; w++) {
                    done.add(pool.submit(() -> {
                        for (int t = 0; t < transactions; t++) {
                            writeRows(db, 10);
                        }
                        return null;
                    }));
                }
                for (var writer : done) {
                    writer.get(); // a failed write fails the test
                }
            } finally {
                pool.shutdownNow();
                writing.set(false);
                reader.join();
            }
            assertThat(db.<Integer>read(WalCheckpointerTest::count)).isEqualTo(1 + writers * transactions * 10);
            long written = (long) writers * transactions * 10 * 2048 / PAGE;
            long bound = (WalCheckpointer.WRITER_CHECKPOINT_PAGES + 1_024L) * FRAME;
            assertThat(written * FRAME).as("the test writes well past the bound").isGreaterThan(3 * bound);
            assertThat(Math.max(largestWal.get(), Files.size(walFile)))
                    .as("the WAL file's largest size, in bytes (bound: %d frames)", WalCheckpointer.WRITER_CHECKPOINT_PAGES)
                    .isLessThan(bound);
        }
    }

    @Test
    void closingLeavesEveryRowInTheFileAndNoWal() throws Exception {
        try (SqliteDatabase db = SqliteDatabase.open(dir, Duration.ofHours(1))) {
            writeRows(db, ROWS);
        }
        assertThat(dir.resolve(Database.FILE_NAME + "-wal")).doesNotExist();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Database.FILE_NAME))) {
            assertThat(count(c)).isEqualTo(ROWS);
        }
    }

    private static void writeRows(Database db, int rows) {
        SecureRandom random = new SecureRandom();
        db.write(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS checkpoint_probe (id INTEGER PRIMARY KEY, body BLOB NOT NULL)");
            }
            try (PreparedStatement st = c.prepareStatement("INSERT INTO checkpoint_probe (body) VALUES (?)")) {
                for (int i = 0; i < rows; i++) {
                    byte[] body = new byte[2048];
                    random.nextBytes(body); // incompressible, one row per half page
                    st.setBytes(1, body);
                    st.executeUpdate();
                }
            }
            return null;
        });
    }

    private static int firstRowSize(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT length(body) FROM checkpoint_probe WHERE id = 1")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static int count(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM checkpoint_probe")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
