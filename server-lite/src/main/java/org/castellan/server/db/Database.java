package org.castellan.server.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.castellan.server.files.SecureFiles;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The embedded SQLite database: WAL for concurrent readers, {@code synchronous=FULL} so a commit
 * is on disk before we acknowledge it (an escrow is acknowledged only once durable, promise 1),
 * {@code BEGIN IMMEDIATE} transactions, and one writer thread here rather than SQLite
 * busy-retries. Concurrent writes are group-committed ({@link GroupCommitWriter}): one
 * transaction and one fsync per batch of waiting requests rather than per request, which is
 * what bounded write throughput (FleetBenchmarkIT: request threads parked on the old writer
 * lock while each commit paid its own fsync).
 */
public final class Database implements AutoCloseable {
    public static final String FILE_NAME = "castellan.db";
    /** System property: busy timeout in milliseconds (default 10,000). */
    public static final String BUSY_TIMEOUT_PROPERTY = "castellan.db.busyTimeoutMs";
    /** System property: a cap on the database size in pages (default none); how tests reach a full disk. */
    public static final String MAX_PAGES_PROPERTY = "castellan.db.maxPages";
    private final HikariDataSource dataSource;
    private final GroupCommitWriter writer;
    private volatile WriteListener listener = WriteListener.NONE;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        this.writer = new GroupCommitWriter(dataSource, () -> listener);
    }

    /** Opens (creating with mode 0600 on first start) and migrates {@code DIR/castellan.db}. */
    public static Database open(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            // SQLite gives -wal and -shm the mode of the main file, so all three are 0600.
            SecureFiles.createEmpty(file);
        }
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        // A write waits this long for a lock held outside the server (a backup, a sqlite3 shell)
        // before it is answered 503 database-busy.
        sqlite.setBusyTimeout(Integer.getInteger(BUSY_TIMEOUT_PROPERTY, 10_000));
        int maxPages = Integer.getInteger(MAX_PAGES_PROPERTY, 0);
        if (maxPages > 0) {
            sqlite.setMaxPageCount(maxPages); // caps the file: past it SQLite answers SQLITE_FULL, as on a full disk
        }
        sqlite.enforceForeignKeys(true);
        sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource sqliteSource = new SQLiteDataSource(sqlite);
        sqliteSource.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(sqliteSource);
        hikari.setPoolName("castellan-sqlite");
        hikari.setMaximumPoolSize(4);
        hikari.setMinimumIdle(1);
        HikariDataSource dataSource = new HikariDataSource(hikari);
        try {
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration")
                    .load().migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw new IOException("cannot migrate database " + file + ": " + e.getMessage(), e);
        }
        return new Database(dataSource);
    }

    /**
     * Sets who hears how write transactions end (the audit head anchor, wired at start-up).
     * One listener; set before the server takes requests.
     */
    public void listen(WriteListener newListener) {
        this.listener = newListener;
    }

    /**
     * Runs {@code work} in an immediate transaction and returns once that transaction has
     * committed durably, or throws what the work threw (its changes rolled back, nothing else's):
     * a {@link RuntimeException} as is, an {@link SQLException} wrapped in a
     * {@link StorageException}. Concurrent writes share a transaction (each in its own savepoint,
     * run one after another on the writer thread, so they see each other's changes in order) and
     * its commit. The work must not call {@code write} itself ({@link IllegalStateException}) nor
     * end the transaction. The {@link WriteListener} follows units and commits on the writer
     * thread, and runs its follow-up on this thread after the commit.
     */
    public <T> T write(SqlWork<T> work) {
        return writer.write(work);
    }

    /** Runs read-only {@code work} on a pooled connection (WAL readers do not block the writer). */
    public <T> T read(SqlWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new StorageException("database read failed", e);
        }
    }

    /**
     * The pool itself, for components that manage their own short transactions (the webhook
     * outbox's claim/mark updates). Everything else goes through {@link #write}/{@link #read}.
     */
    public javax.sql.DataSource dataSource() {
        return dataSource;
    }

    /**
     * Registers the database's meters: the connection pool's (HikariCP's own Micrometer tracker:
     * {@code hikaricp_connections_*}) and the writer's batches ({@code castellan_db_write_batch_seconds}
     * by outcome, a histogram of the time to a durable commit; {@code castellan_db_write_batch_units},
     * how many writes shared each commit).
     */
    public void bindTo(MeterRegistry registry) {
        dataSource.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        DistributionSummary unitsPerBatch = DistributionSummary.builder("castellan.db.write.batch.units")
                .description("Writes that shared one transaction and one fsync (group commit).")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, GroupCommitWriter.MAX_BATCH).register(registry);
        java.util.Map<String, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();
        writer.observe((units, nanos, outcome) -> {
            unitsPerBatch.record(units);
            timers.computeIfAbsent(outcome, o -> Timer.builder("castellan.db.write.batch")
                    .description("Write batches of the single writer, by outcome: time from the start of the batch "
                            + "to its durable commit.")
                    .tag("outcome", o).publishPercentileHistogram().minimumExpectedValue(java.time.Duration.ofMillis(1))
                    .maximumExpectedValue(java.time.Duration.ofSeconds(10)).register(registry))
                    .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        });
    }

    /** {batches, units} the writer has run since start: units per batch is the grouping achieved. */
    public long[] writeBatchesAndUnits() {
        return writer.batchesAndUnits();
    }

    @Override
    public void close() {
        writer.close(); // runs the writes already queued first
        dataSource.close();
    }
}
