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
 * Copies the WAL's pages into the database file on a thread and a connection of its own.
 *
 * <p>By default SQLite does this inside the commit that takes the WAL past 1,000 pages: on the one
 * writer thread, where the page writes and the fsync of the database file held up every write
 * queued behind it. At a million devices that fsync took 7 ms at the median and 84 ms at its
 * worst, three times a second, against 0.4 ms for a commit's own WAL fsync (issue 11; traced in
 * docs/performance.md). So the pool's connections run with {@code wal_autocheckpoint=0} (see
 * {@link SqliteDatabase}), and this runs a {@code PASSIVE} checkpoint every {@link #EVERY} when
 * another connection has committed since the last one ({@code PRAGMA data_version}). A passive
 * checkpoint takes no lock that the writer or a reader waits for; it copies what no open read
 * snapshot still needs, and the next one copies the rest.
 *
 * <p>Durability is unchanged: a commit is durable in the WAL when it is acknowledged. This
 * connection is {@code synchronous=FULL}, so each checkpoint fsyncs the WAL before it copies
 * anything, lazily committed bookkeeping included ({@link LazyCommits}), and fsyncs the database
 * file before the WAL may be reused. The last connection to close checkpoints what is left and
 * removes the WAL, as SQLite always does.
 */
final class WalCheckpointer implements AutoCloseable {
    static final Duration EVERY = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(WalCheckpointer.class);

    private final Connection connection;
    private final ScheduledExecutorService executor;
    private long dataVersion = Long.MIN_VALUE; // on the checkpoint thread only
    private final AtomicLong checkpoints = new AtomicLong();
    private volatile long framesBehind;

    private WalCheckpointer(Connection connection, Duration every) {
        this.connection = connection;
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
        Connection connection = source.getConnection();
        try (Statement st = connection.createStatement()) {
            st.execute("PRAGMA wal_autocheckpoint = 0"); // this connection never commits, but to be sure
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return new WalCheckpointer(connection, every);
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
            LOG.warn("WAL checkpoint failed (retried in {} s): {}", EVERY.toSeconds(), e.toString());
        }
    }

    /** One passive checkpoint now; returns the WAL frames it could not copy yet (0: all of them). */
    synchronized long checkpointNow() throws SQLException {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            rs.next();
            long walFrames = rs.getLong(2);
            long copied = rs.getLong(3);
            checkpoints.incrementAndGet();
            framesBehind = walFrames < 0 ? 0 : walFrames - copied;
            return framesBehind;
        }
    }

    private long query(String sql) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** {@code castellan_db_wal_checkpoints_total} and {@code castellan_db_wal_frames_behind}. */
    void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("castellan.db.wal.checkpoints", checkpoints, AtomicLong::get)
                .description("WAL checkpoints run by the background checkpointer (never by the writer).")
                .register(registry);
        Gauge.builder("castellan.db.wal.frames.behind", this, c -> c.framesBehind)
                .description("WAL frames the last checkpoint could not copy yet (an open read snapshot still needed them).")
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
