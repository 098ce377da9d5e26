package org.castellan.server.db;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The one storage seam: every read and every write transaction of the server goes through it.
 * Two implementations: {@link SqliteDatabase}, the embedded default (one writer thread, group
 * commit, {@code synchronous=FULL}), and {@link PostgresDatabase}, shared by any number of server
 * nodes (a pool, one transaction per call, retried on serialization failure and deadlock). Stores
 * write plain JDBC that runs on both; what differs is asked of {@link #dialect()}.
 */
public interface Database extends AutoCloseable {
    String FILE_NAME = "castellan.db";
    /** System property: SQLite busy timeout in milliseconds (default 10,000). */
    String BUSY_TIMEOUT_PROPERTY = "castellan.db.busyTimeoutMs";
    /** System property: a cap on the SQLite database size in pages (default none); how tests reach a full disk. */
    String MAX_PAGES_PROPERTY = "castellan.db.maxPages";

    /** Opens (creating with mode 0600 on first start) and migrates the embedded {@code DIR/castellan.db}. */
    static Database open(Path dataDir) throws IOException {
        return SqliteDatabase.open(dataDir);
    }

    /** Opens the database {@code target} names: embedded SQLite in {@code dataDir}, or PostgreSQL. */
    static Database open(Path dataDir, DatabaseTarget target) throws IOException {
        return target == null || target.embedded() ? SqliteDatabase.open(dataDir) : PostgresDatabase.open(target);
    }

    /**
     * For {@code serve}: as {@link #open(Path, DatabaseTarget)}, and on PostgreSQL holding the
     * cluster's start-up lock until {@link #startupDone()}, so that nodes starting at the same moment
     * migrate, check the audit anchor and bootstrap the first admin one at a time.
     */
    static Database openToServe(Path dataDir, DatabaseTarget target) throws IOException {
        return target == null || target.embedded() ? SqliteDatabase.open(dataDir) : PostgresDatabase.openToServe(target);
    }

    /** The start-up (migrations, anchor, bootstrap) is over: lets the next node start. Nothing on SQLite. */
    default void startupDone() {}

    /**
     * Runs {@code work} in one write transaction and returns once it has committed durably, or
     * throws what the work threw (its changes rolled back): a {@link RuntimeException} as is, an
     * {@link java.sql.SQLException} wrapped in a {@link StorageException}. The work must not end the
     * transaction itself, nor call {@code write}. It may run more than once (PostgreSQL retries a
     * transaction that lost a serialization race), so it must not have effects outside the database.
     */
    <T> T write(SqlWork<T> work);

    /**
     * Bookkeeping: as {@link #write}, but the call may return before the commit is on disk, so a
     * crash of the operating system (never one of the server) may lose it. Only what the server can
     * do without is written so: a plain check-in's nonce and last-seen time, and the background
     * fill of a device group's match rows (its cursor lost with them). An audit row appended
     * by such work is made durable before the call returns all the same. On SQLite this holds only
     * after {@link #allowLazyCommits} (the embedded writer, {@code LazyCommits}); on PostgreSQL it is
     * a durable write.
     */
    default <T> T writeBookkeeping(SqlWork<T> work) {
        return write(work);
    }

    /**
     * {@code serve} only, once at start-up: lets {@link #writeBookkeeping} commit lazily from now
     * on, on the kernel boot {@code bootId} (none: never), and reads what an earlier run's lazy
     * commits imply ({@link #bookkeepingLostUntil}). Nothing on PostgreSQL.
     */
    default void allowLazyCommits(java.time.Clock clock, java.util.Optional<String> bootId) {}

    /**
     * Set when an earlier run committed bookkeeping lazily and the operating system restarted
     * before it was released: writes of that run up to this instant may be lost, among them nonces
     * of accepted agent requests. Empty when nothing can have been lost.
     */
    default java.util.Optional<java.time.Instant> bookkeepingLostUntil() {
        return java.util.Optional.empty();
    }

    /** Runs read-only {@code work} on a pooled connection. */
    <T> T read(SqlWork<T> work);

    /**
     * Whether the calling thread is running the work of a write transaction, of any database: on
     * SQLite the writer thread while it runs a unit of a batch (every other write waits for it), on
     * PostgreSQL a thread inside a write's transaction. What must not hold the writes up asks, and
     * refuses ({@link org.castellan.server.vault.EnvelopeOpens}: no envelope is opened there, issue 11).
     * A {@link #read} is not a write transaction.
     */
    static boolean inWriteTransaction() {
        return InsideWrite.active();
    }

    /** What SQL differs between the vendors. */
    Dialect dialect();

    /** Whether several server processes may share this database (PostgreSQL): shared limits, one job runner. */
    default boolean shared() {
        return dialect() == Dialect.POSTGRESQL;
    }

    /**
     * Sets who hears how write transactions end (the SQLite audit head anchor, wired at start-up).
     * One listener; set before the server takes requests.
     */
    void listen(WriteListener newListener);

    /**
     * Registers the database's meters: the connection pool's (HikariCP's own Micrometer tracker:
     * {@code hikaricp_connections_*}) and its write transactions ({@code castellan_db_write_batch_seconds}
     * by outcome, a histogram of the time to a durable commit; {@code castellan_db_write_batch_units},
     * how many writes shared each commit: SQLite's group commit batches them, on PostgreSQL every
     * write is its own transaction so each counts one).
     */
    void bindTo(MeterRegistry registry);

    /** {batches, units} the writer has run since start: units per batch is the grouping achieved. */
    long[] writeBatchesAndUnits();

    @Override
    void close();
}
