package org.castellan.server.db;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the WAL's pages into the database file on a thread and a connection of its own, so that
 * the one writer rarely has to.
 *
 * <p>By default SQLite checkpoints inside the commit that takes the WAL past 1,000 pages: on the
 * writer thread, where the page copies and the fsync of the database file hold up every write
 * queued behind it. At a million devices that fsync took 7 ms at the median and 84 ms at its
 * worst, three times a second, against 0.4 ms for a commit's own WAL fsync (issue 11; traced in
 * docs/performance.md). Here a {@code PASSIVE} checkpoint runs every {@link #EVERY} when another
 * connection has committed since the last one ({@code PRAGMA data_version}). A passive checkpoint
 * takes no lock the writer or a reader waits for; it copies what no open read snapshot still
 * needs, and fsyncs the file, off the writer's path.
 *
 * <p><b>What bounds the WAL.</b> A passive checkpoint alone cannot start the WAL again from its
 * beginning while commits keep coming: SQLite does that only in a write that begins with every
 * frame copied, and under a steady stream of commits the checkpoint is always a few frames behind
 * (the WAL grew to 1.1 GB in 24 s of check-ins, measured, when nothing else checkpointed). So the
 * pool's connections keep SQLite's own automatic checkpoint, only later: past
 * {@link #WRITER_CHECKPOINT_PAGES} (see {@link SqliteDatabase}). When a commit takes the WAL past
 * that, the writer checkpoints as SQLite always has, but finds nearly every frame already copied
 * by this thread and copies only those since its last pass; the next write starts the WAL again.
 * Under light load the writer never gets there: a write that follows a complete checkpoint here
 * starts the WAL again by itself.
 *
 * <p>Durability is unchanged: a commit is durable in the WAL when it is acknowledged. This
 * connection is {@code synchronous=FULL}, so each checkpoint fsyncs the WAL before it copies
 * anything, lazily committed bookkeeping included ({@link LazyCommits}), and fsyncs the database
 * file before the WAL may be reused. The last connection to close checkpoints what is left and
 * removes the WAL, as SQLite always does.
 */
final class WalCheckpointer implements AutoCloseable {
    static final Duration EVERY = Duration.ofMillis(100);
    /**
     * WAL pages past which a commit of the writer checkpoints (SQLite's {@code wal_autocheckpoint};
     * its default is 1,000). The WAL stays near this size under any load: 16 MiB of 4 KiB pages.
     */
    static final int WRITER_CHECKPOINT_PAGES = 4_096;
    private static final Logger LOG = LoggerFactory.getLogger(WalCheckpointer.class);

    private final Connection connection;
    private final ScheduledExecutorService executor;
    private final Duration every;
    private long dataVersion = Long.MIN_VALUE; // on the checkpoint thread only
    private final AtomicLong checkpoints = new AtomicLong();
    private volatile long walFrames;
    private volatile long framesBehind;

    private WalCheckpointer(Connection connection, Duration every) {
        this.connection = connection;
        this.every = every;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "castellan-db-checkpoint");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::checkpointIfWritten, every.toMillis(), every.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Starts checkpointing the database behind {@code source} (unpooled: the connection is kept). */
    static WalCheckpointer start(DataSource source, Duration every) throws SQLException {
        return new WalCheckpointer(source.getConnection(), every);
    }

    private void checkpointIfWritten() {
        try {
            long version = query("PRAGMA data_version");
            if (version == dataVersion) {
                return; // nobody committed since the last checkpoint
            }
            dataVersion = version;
            checkpointNow();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("WAL checkpoint failed (retried in {} ms): {}", every.toMillis(), e.toString());
        }
    }

    /** One passive checkpoint now; returns the WAL frames it left uncopied (0: all of them). */
    synchronized long checkpointNow() throws SQLException {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            rs.next();
            long frames = rs.getLong(2); // -1 when the database is not in WAL mode (it always is)
            long copied = rs.getLong(3);
            checkpoints.incrementAndGet();
            walFrames = Math.max(frames, 0);
            framesBehind = frames < 0 ? 0 : frames - copied;
            return framesBehind;
        }
    }

    private long query(String sql) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * {@code castellan_db_wal_checkpoints_total}, {@code castellan_db_wal_frames} and
     * {@code castellan_db_wal_frames_behind}, as of the last checkpoint.
     */
    void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("castellan.db.wal.checkpoints", checkpoints, AtomicLong::get)
                .description("WAL checkpoints run by the background checkpointer, off the writer's path.")
                .register(registry);
        Gauge.builder("castellan.db.wal.frames", this, c -> c.walFrames)
                .description("Frames in the WAL at the last background checkpoint (the writer checkpoints past "
                        + WRITER_CHECKPOINT_PAGES + ").")
                .register(registry);
        Gauge.builder("castellan.db.wal.frames.behind", this, c -> c.framesBehind)
                .description("WAL frames the last background checkpoint could not copy (an open read snapshot still"
                        + " needed them).")
                .register(registry);
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("cannot close the checkpoint connection: {}", e.toString());
        }
    }
}
