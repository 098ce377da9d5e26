package org.castellan.server.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.castellan.server.files.SecureFiles;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The embedded SQLite database: WAL for concurrent readers, {@code synchronous=FULL} so a commit
 * is on disk before we acknowledge it (an escrow is acknowledged only once durable, promise 1),
 * {@code BEGIN IMMEDIATE} transactions, and one writer thread here rather than SQLite
 * busy-retries. Concurrent writes are group-committed ({@link GroupCommitWriter}): one
 * transaction and one fsync per batch of waiting requests rather than per request, which is
 * what bounded write throughput (FleetBenchmarkIT: request threads parked on the old writer
 * lock while each commit paid its own fsync). Only check-in bookkeeping may commit without waiting for
 * its fsync, under the lease and fence of {@link LazyCommits}. The WAL is checkpointed apart from
 * the writer where it can be ({@link WalCheckpointer}).
 */
public final class SqliteDatabase implements Database {
    private final HikariDataSource dataSource;
    private final GroupCommitWriter writer;
    private volatile WriteListener listener = WriteListener.NONE;
    private volatile LazyCommits lazyCommits;

    private final WalCheckpointer checkpointer;

    private SqliteDatabase(HikariDataSource dataSource, WalCheckpointer checkpointer) {
        this.dataSource = dataSource;
        this.checkpointer = checkpointer;
        this.writer = new GroupCommitWriter(dataSource, () -> listener);
    }

    /** Opens (creating with mode 0600 on first start) and migrates {@code DIR/castellan.db}. */
    static SqliteDatabase open(Path dataDir) throws IOException {
        return open(dataDir, WalCheckpointer.EVERY);
    }

    /** {@link #open(Path)}, with the WAL checkpointed every {@code checkpointEvery} (tests hold it back). */
    static SqliteDatabase open(Path dataDir, Duration checkpointEvery) throws IOException {
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
        // Prepared statements are kept per connection (CachedStatements): preparing was a fifth of a
        // check-in's server CPU at a million devices.
        hikari.setDataSource(CachedStatements.around(sqliteSource, CachedStatements.configured()));
        hikari.setPoolName("castellan-sqlite");
        hikari.setMaximumPoolSize(4);
        hikari.setMinimumIdle(1);
        // WalCheckpointer copies the WAL into the file on its own thread and connection; the writer
        // checkpoints itself (inside a commit) only past this many pages, which bounds the WAL.
        hikari.setConnectionInitSql("PRAGMA wal_autocheckpoint = " + WalCheckpointer.WRITER_CHECKPOINT_PAGES);
        HikariDataSource dataSource = new HikariDataSource(hikari);
        WalCheckpointer checkpointer;
        try {
            // Before the migrations, so that what one rewrites is copied into the file behind it.
            checkpointer = WalCheckpointer.start(sqliteSource, checkpointEvery);
        } catch (SQLException | RuntimeException e) {
            dataSource.close();
            throw new IOException("cannot open database " + file + ": " + e.getMessage(), e);
        }
        try {
            Migrations.configure(dataSource, Dialect.SQLITE).load().migrate();
        } catch (RuntimeException e) {
            checkpointer.close();
            dataSource.close();
            throw new IOException("cannot migrate database " + file + ": " + e.getMessage(), e);
        }
        return new SqliteDatabase(dataSource, checkpointer);
    }

    /**
     * Sets who hears how write transactions end (the audit head anchor, wired at start-up).
     * One listener; set before the server takes requests.
     */
    @Override
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
    @Override
    public <T> T write(SqlWork<T> work) {
        return writer.write(work);
    }

    @Override
    public <T> T writeBookkeeping(SqlWork<T> work) {
        return writer.writeLazily(work);
    }

    @Override
    public void allowLazyCommits(Clock clock, Optional<String> bootId) {
        if (lazyCommits != null) {
            throw new IllegalStateException("lazy commits are allowed once, at start-up");
        }
        // Read and release the last run's lease even without a boot id: its loss still applies.
        lazyCommits = writer.write(c -> LazyCommits.start(c, clock, bootId.orElse("")));
        if (bootId.isPresent()) {
            writer.allowLazyCommits(lazyCommits);
        }
    }

    @Override
    public Optional<Instant> bookkeepingLostUntil() {
        LazyCommits lease = lazyCommits;
        return lease == null ? Optional.empty() : lease.lostUntil();
    }

    /** Runs read-only {@code work} on a pooled connection (WAL readers do not block the writer). */
    @Override
    public <T> T read(SqlWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new StorageException("database read failed", e);
        }
    }

    @Override
    public Dialect dialect() {
        return Dialect.SQLITE;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        dataSource.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        writer.observe(new WriteMeters(registry));
        checkpointer.bindTo(registry);
    }

    /** The WAL's checkpointer (tests run a checkpoint now). */
    WalCheckpointer checkpointer() {
        return checkpointer;
    }

    @Override
    public long[] writeBatchesAndUnits() {
        return writer.batchesAndUnits();
    }

    @Override
    public void close() {
        writer.close(); // runs the writes already queued first
        checkpointer.close(); // then the pool's last connection checkpoints what is left and removes the WAL
        dataSource.close();
    }
}
