package org.castellan.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.castellan.server.testing.SqliteOnly;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded database's WAL is checkpointed by its own thread, never inside a commit of the
 * writer (issue 11: the database file's fsync in the writer's commits held up every queued write).
 * Real SQLite file, real server database code, sizes read from the files themselves.
 */
@SqliteOnly("the embedded database's WAL")
class WalCheckpointerTest {
    private static final int PAGE = 4096;
    /** SQLite's default auto-checkpoint: a commit taking the WAL past this many pages checkpoints. */
    private static final int AUTO_CHECKPOINT_PAGES = 1_000;
    private static final int ROWS = 3_000; // 3,000 rows of 2 KiB: ~1,500 pages of WAL, past the default

    @TempDir
    Path dir;

    @Test
    void theWritersCommitsNeverCheckpointAndTheCheckpointerCopiesEverything() throws Exception {
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

    private static int count(Connection c) throws java.sql.SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM checkpoint_probe")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
