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
 */
final class GroupCommitWriter implements AutoCloseable {
    static final int MAX_BATCH = 128;
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final QueuedWrite<Void> STOP = new QueuedWrite<>(c -> null);

    private final DataSource dataSource;
    private final Supplier<WriteListener> listener;
    private final LinkedBlockingQueue<QueuedWrite<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;
    private volatile long batches; // written by the writer thread only
    private volatile long units;
    private volatile BatchObserver observer = BatchObserver.NONE;

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

    <T> T write(SqlWork<T> work) {
        if (Thread.currentThread() == thread) {
            // A unit waiting for a later batch would wait for itself; before group commit this was a lock timeout.
            throw new IllegalStateException("nested database write: a write's work must not call Database.write");
        }
        QueuedWrite<T> unit = new QueuedWrite<>(work);
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
    }

    private void runBatch(List<QueuedWrite<?>> batch) {
        WriteListener current = listener.get();
        long start = System.nanoTime();
        String outcome = "failed";
        try {
            try (Connection connection = dataSource.getConnection()) {
                try {
                    connection.setAutoCommit(false); // BEGIN IMMEDIATE (see Database.open)
                } catch (SQLException e) {
                    // BEGIN failed (busy, locked, full): sqlite-jdbc already believes a transaction is open,
                    // so the connection would run the next batch outside any transaction. Never reuse it.
                    discard(connection);
                    throw e;
                }
                try {
                    List<QueuedWrite<?>> kept = runUnits(connection, current, batch);
                    if (kept.isEmpty()) {
                        connection.rollback(); // nothing to make durable
                        current.rolledBack();
                        outcome = "rolledback";
                    } else {
                        connection.commit();
                        outcome = "committed";
                        long ticket = current.committed();
                        kept.forEach(unit -> unit.committed(current, ticket));
                    }
                } catch (Throwable e) {
                    rollbackQuietly(connection, e);
                    current.rolledBack();
                    throw e;
                } finally {
                    connection.setAutoCommit(true);
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
