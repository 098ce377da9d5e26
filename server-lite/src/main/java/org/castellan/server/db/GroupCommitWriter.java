package org.castellan.server.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer: concurrent {@link Database#write} calls queue their units of work; this thread
 * takes every unit waiting (up to {@link #MAX_BATCH}), runs them one after another in ONE
 * immediate transaction, each in its own savepoint (a failing unit rolls back only itself and
 * its caller gets its exception), commits once — one fsync for the whole batch instead of one
 * per request — and only then wakes the callers. So a caller returns only once the commit that
 * holds its work is durable (promise 1), and the next batch gathers while this one commits.
 *
 * <p>The one exception is a batch made only of bookkeeping ({@link #writeLazily}) while
 * {@link LazyCommits} holds a lease: it commits without waiting for the fsync. If such a batch
 * appended an audit row after all, a durable commit follows before anyone in it is answered.
 */
final class GroupCommitWriter implements AutoCloseable {
    static final int MAX_BATCH = 128;
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final QueuedWrite<Void> STOP = new QueuedWrite<>(c -> null, false);

    private final DataSource dataSource;
    private final Supplier<WriteListener> listener;
    private final LinkedBlockingQueue<QueuedWrite<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;
    private volatile long batches; // written by the writer thread only
    private volatile long units;
    private volatile BatchObserver observer = BatchObserver.NONE;
    private volatile LazyCommits lazyCommits; // null: every batch commits durably

    /** Told of every batch: how many units it held, how long it took (up to its durable commit), how it ended. */
    interface BatchObserver {
        BatchObserver NONE = (units, nanos, outcome) -> {};

        /** {@code outcome}: committed, rolledback (no unit kept), failed. */
        void batch(int units, long nanos, String outcome);
    }

    void observe(BatchObserver newObserver) {
        observer = newObserver;
    }

    GroupCommitWriter(DataSource dataSource, Supplier<WriteListener> listener) {
        this.dataSource = dataSource;
        this.listener = listener;
        this.thread = new Thread(this::loop, "castellan-db-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** From now on, batches of bookkeeping alone may commit lazily under {@code lease}. */
    void allowLazyCommits(LazyCommits lease) {
        this.lazyCommits = lease;
    }

    /** Work that returns once its commit is durable. */
    <T> T write(SqlWork<T> work) {
        return enqueue(new QueuedWrite<>(work, false));
    }

    /**
     * Bookkeeping whose loss in a crash of the operating system (never of the server) is
     * acceptable: it may be answered before its commit is on disk (see {@link LazyCommits}).
     */
    <T> T writeLazily(SqlWork<T> work) {
        return enqueue(new QueuedWrite<>(work, true));
    }

    private <T> T enqueue(QueuedWrite<T> unit) {
        if (Thread.currentThread() == thread) {
            // A unit waiting for a later batch would wait for itself; before group commit this was a lock timeout.
            throw new IllegalStateException("nested database write: a write's work must not call Database.write");
        }
        synchronized (queue) { // against close(): a unit queued after STOP would never be answered
            if (closed) {
                throw new StorageException("database write refused: the database is closed", null);
            }
            queue.add(unit);
        }
        return unit.await();
    }

    private void loop() {
        List<QueuedWrite<?>> batch = new ArrayList<>(MAX_BATCH);
        boolean stopping = false;
        while (!stopping) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                continue; // only close() stops the writer, through STOP, so queued callers are always answered
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            stopping = batch.remove(STOP);
            if (stopping) {
                queue.drainTo(batch); // anything queued before close() still runs
            }
            if (!batch.isEmpty()) {
                runBatch(batch);
            }
            batch.clear();
        }
        releaseLease();
    }

    /** At a clean stop: a durable write after the last batch, so no lazy commit is outstanding. */
    private void releaseLease() {
        LazyCommits lease = lazyCommits;
        if (lease == null) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            lease.release(connection);
        } catch (SQLException | RuntimeException e) {
            // The next start then treats this run as one that may have lost its last lazy commits.
            LOG.warn("cannot release the lazy-commit lease at stop: {}", e.toString());
        }
    }

    private void runBatch(List<QueuedWrite<?>> batch) {
        WriteListener current = listener.get();
        long start = System.nanoTime();
        String outcome = "failed";
        LazyCommits lease = lazyCommits;
        boolean lazy = lease != null && batch.stream().allMatch(QueuedWrite::lazy);
        try {
            try (Connection connection = dataSource.getConnection()) {
                if (lazy) {
                    lazy = lease.leaseCoversNow(connection);
                }
                try {
                    if (lazy) {
                        LazyCommits.Durability.LAZY.apply(connection); // only outside a transaction
                    }
                    connection.setAutoCommit(false); // BEGIN IMMEDIATE (see Database.open)
                } catch (SQLException e) {
                    // BEGIN failed (busy, locked, full): sqlite-jdbc already believes a transaction is open,
                    // so the connection would run the next batch outside any transaction. Never reuse it.
                    discard(connection);
                    throw e;
                }
                boolean auditAppended = false;
                try {
                    long auditBefore = lazy ? lastAuditId(connection) : 0;
                    List<QueuedWrite<?>> kept = runUnits(connection, current, batch);
                    if (kept.isEmpty()) {
                        connection.rollback(); // nothing to make durable
                        current.rolledBack();
                        outcome = "rolledback";
                    } else {
                        auditAppended = lazy && lastAuditId(connection) != auditBefore;
                        connection.commit();
                        outcome = lazy && !auditAppended ? "committed-lazily" : "committed";
                        long ticket = current.committed();
                        kept.forEach(unit -> unit.committed(current, ticket));
                    }
                } catch (Throwable e) {
                    rollbackQuietly(connection, e);
                    current.rolledBack();
                    throw e;
                } finally {
                    connection.setAutoCommit(true);
                    if (lazy) {
                        restoreFullSync(connection);
                    }
                }
                if (auditAppended) {
                    // An audit row is durable before anyone is answered, whatever the units declared.
                    outcome = "failed";
                    lease.sync(connection);
                    outcome = "committed";
                }
            }
        } catch (Throwable e) {
            // The transaction did not commit (or its end is unknown): no unit of it may report success.
            // Errors too: the writer thread must survive to answer later writes.
            StorageException failure = new StorageException("database write failed", e);
            batch.forEach(unit -> unit.failBatch(failure));
        } finally {
            batches++;
            units += batch.size();
            try {
                observer.batch(batch.size(), System.nanoTime() - start, outcome);
            } catch (RuntimeException e) {
                LOG.warn("write batch observer failed: {}", e.toString());
            }
            batch.forEach(QueuedWrite::finish);
        }
    }

    /** The audit log's newest row id: a lazy batch that moved it must be made durable before it answers. */
    private static long lastAuditId(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(id), 0) FROM audit_log")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The pooled connection goes back as every other one is: synchronous=FULL, or not at all. */
    private void restoreFullSync(Connection connection) throws SQLException {
        try {
            LazyCommits.Durability.FULL.apply(connection);
        } catch (SQLException e) {
            discard(connection);
            throw e;
        }
    }

    private void discard(Connection connection) {
        if (dataSource instanceof com.zaxxer.hikari.HikariDataSource hikari) {
            hikari.evictConnection(connection);
        } else {
            try {
                connection.setAutoCommit(true);
            } catch (SQLException ignored) {
                // the flag is reset before the failing COMMIT it sends
            }
        }
    }

    /** Runs each unit in a savepoint; returns those that succeeded (and stay in the transaction). */
    private static List<QueuedWrite<?>> runUnits(Connection connection, WriteListener current, List<QueuedWrite<?>> batch)
            throws SQLException {
        List<QueuedWrite<?>> kept = new ArrayList<>(batch.size());
        Connection guarded = UnitConnection.guard(connection);
        try (Statement savepoints = connection.createStatement()) {
            for (QueuedWrite<?> unit : batch) {
                savepoints.execute("SAVEPOINT castellan_unit");
                current.beforeUnit();
                if (unit.run(guarded)) {
                    savepoints.execute("RELEASE castellan_unit");
                    unit.kept(current.unitKept());
                    kept.add(unit);
                } else {
                    try {
                        savepoints.execute("ROLLBACK TO castellan_unit");
                        savepoints.execute("RELEASE castellan_unit");
                    } catch (SQLException e) {
                        unit.addSuppressed(e);
                        throw e; // the transaction is in an unknown state: fail the whole batch
                    }
                    current.unitUndone();
                }
            }
        }
        return kept;
    }

    private static void rollbackQuietly(Connection connection, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException rollback) {
            cause.addSuppressed(rollback);
        }
    }

    /** Batches committed or failed, and units they held, since start (for tests and the benchmark). */
    long[] batchesAndUnits() {
        return new long[] {batches, units};
    }

    /** Runs what is queued, then stops the writer thread; later writes are refused. */
    @Override
    public void close() {
        synchronized (queue) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(STOP);
        }
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (units > 0) {
            LOG.info("Database writer stopped: {} writes in {} transactions ({} per commit on average)", units, batches,
                    String.format(java.util.Locale.ROOT, "%.2f", (double) units / batches));
        }
    }
}
