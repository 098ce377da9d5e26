package org.castellan.server.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL, shared by every server node: a HikariCP pool of pgjdbc connections, one transaction
 * per {@link #write} call (READ COMMITTED; what must not interleave across nodes takes a row lock
 * or a transaction-scoped advisory lock, see {@link Dialect#lockForTransaction}), retried a few
 * times when it loses a serialization race or a deadlock (SQLSTATE 40001 / 40P01). A commit
 * acknowledged by PostgreSQL is durable by its own {@code synchronous_commit}.
 */
public final class PostgresDatabase implements Database {
    static final int MAX_ATTEMPTS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(PostgresDatabase.class);
    private final HikariDataSource dataSource;
    private final DatabaseTarget target;
    private final AtomicLong writes = new AtomicLong();
    private static final String START_LOCK = "castellan:start";
    static final java.time.Duration FAIL_FAST = java.time.Duration.ofSeconds(5);
    private volatile SQLException unreachable; // the last connect failure under a pool timeout, if recent
    private volatile long unreachableAt;
    private Connection startLock; // guarded by this; held from openToServe until startupDone
    private volatile GroupCommitWriter.BatchObserver observer = GroupCommitWriter.BatchObserver.NONE;

    private PostgresDatabase(HikariDataSource dataSource, DatabaseTarget target) {
        this.dataSource = dataSource;
        this.target = target;
    }

    /**
     * Connects and migrates.
     *
     * @throws IOException one line: unreachable, refused credentials, or a schema this code cannot run
     */
    static PostgresDatabase open(DatabaseTarget target) throws IOException {
        return open(target, false);
    }

    /**
     * Connects, takes the cluster's start-up lock (a session advisory lock on a connection of its
     * own, waited for at most {@link #START_LOCK_WAIT}), then migrates; the lock is held until
     * {@link #startupDone()} or {@link #close()}. Nodes started at the same moment on an empty
     * database so run their migrations, audit anchor set-up and bootstrap one after the other:
     * the first creates the chain head row and the bootstrap admin, the others find them.
     */
    static PostgresDatabase openToServe(DatabaseTarget target) throws IOException {
        return open(target, true);
    }

    /** How long a starting node waits for another node's start (migrations, bootstrap) to finish. */
    static final String START_LOCK_WAIT = "5min";

    private static PostgresDatabase open(DatabaseTarget target, boolean startLock) throws IOException {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(target.jdbcUrl());
        hikari.setUsername(target.user());
        if (target.password() != null) {
            hikari.setPassword(new String(target.password()));
        }
        hikari.setPoolName("castellan-postgresql");
        hikari.setMaximumPoolSize(target.poolSize());
        hikari.setMinimumIdle(Math.min(2, target.poolSize()));
        hikari.setConnectionTimeout(10_000);
        hikari.setInitializationFailTimeout(10_000);
        hikari.addDataSourceProperty("ApplicationName", "castellan-server");
        hikari.addDataSourceProperty("connectTimeout", "10");
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            throw new DatabaseOpenException("cannot connect to " + target + ": " + rootMessage(e), e);
        }
        PostgresDatabase db = new PostgresDatabase(dataSource, target);
        if (startLock) {
            try {
                db.takeStartLock();
            } catch (SQLException e) {
                db.close();
                throw new DatabaseOpenException("55P03".equals(e.getSQLState())
                        ? "another server node has been starting on " + target + " for " + START_LOCK_WAIT
                                + " (migrations and bootstrap are run by one node at a time); is it stuck?"
                        : "cannot connect to " + target + ": " + rootMessage(e), e);
            }
        }
        try {
            Migrations.configure(dataSource, Dialect.POSTGRESQL).load().migrate();
        } catch (RuntimeException e) {
            db.close();
            throw new DatabaseOpenException("cannot use database " + target + ": " + rootMessage(e), e);
        }
        return db;
    }

    private void takeStartLock() throws SQLException {
        Connection c = java.sql.DriverManager.getConnection(target.jdbcUrl(), properties("castellan-server-start"));
        try (java.sql.Statement st = c.createStatement()) {
            st.execute("SET lock_timeout = '" + START_LOCK_WAIT + "'");
            st.execute("SELECT pg_advisory_lock(" + Dialect.lockId(START_LOCK) + ")");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        synchronized (this) {
            startLock = c;
        }
    }

    /** Gives up the start-up lock (closing its connection): the next starting node goes on. */
    @Override
    public synchronized void startupDone() {
        if (startLock != null) {
            try {
                startLock.close();
            } catch (SQLException e) {
                LOG.warn("closing the start-up lock's connection failed ({}); it goes with the session", e.toString());
            }
            startLock = null;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.replace('\n', ' ').strip();
    }

    @Override
    public <T> T write(SqlWork<T> work) {
        long start = System.nanoTime();
        String outcome = "failed";
        try {
            T result = writeRetrying(work);
            outcome = "committed";
            return result;
        } catch (RuntimeException | Error e) {
            if (!(e instanceof StorageException)) {
                outcome = "rolledback"; // the work itself threw: nothing of it was kept
            }
            throw e;
        } finally {
            try {
                observer.batch(1, System.nanoTime() - start, outcome);
            } catch (RuntimeException e) {
                LOG.warn("write observer failed: {}", e.toString());
            }
        }
    }

    /** One write per transaction, so the "batch" meters count each transaction as a batch of one. */
    @Override
    public void bindTo(MeterRegistry registry) {
        dataSource.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        observer = new WriteMeters(registry);
    }

    private <T> T writeRetrying(SqlWork<T> work) {
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = borrow()) {
                connection.setAutoCommit(false);
                try {
                    T result = InsideWrite.run(work, UnitConnection.guard(connection));
                    connection.commit();
                    writes.incrementAndGet();
                    return result;
                } catch (Throwable e) {
                    rollbackQuietly(connection, e);
                    if (retryable(e) && attempt < MAX_ATTEMPTS) {
                        LOG.debug("write transaction lost a race ({}); retrying, attempt {}", sqlState(e), attempt + 1);
                        backOff(attempt);
                        continue;
                    }
                    throw e;
                } finally {
                    connection.setAutoCommit(true);
                }
            } catch (SQLException e) {
                throw new StorageException("database write failed", e);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new StorageException("database write failed", e);
            }
        }
    }

    /**
     * A pooled connection. When getting one just failed because the database could not be reached
     * (the pool waited its whole timeout while every connect failed), calls in the next
     * {@link #FAIL_FAST} fail at once the same way instead of each waiting the pool's timeout again:
     * a request whose first query waited for nothing answers 503 promptly rather than after one
     * timeout per query it makes, so agents and load balancers move on to another node sooner.
     */
    private Connection borrow() throws SQLException {
        SQLException down = unreachable;
        if (down != null && System.nanoTime() - unreachableAt < FAIL_FAST.toNanos()) {
            throw new java.sql.SQLTransientConnectionException("the database could not be reached moments ago",
                    "08001", down);
        }
        try {
            Connection c = dataSource.getConnection();
            unreachable = null;
            return c;
        } catch (SQLException e) {
            if (StorageException.DATABASE_UNAVAILABLE.equals(new StorageException("connect", e).unavailableCode())) {
                unreachableAt = System.nanoTime();
                unreachable = e;
            }
            throw e;
        }
    }

    @Override
    public <T> T read(SqlWork<T> work) {
        try (Connection connection = borrow()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new StorageException("database read failed", e);
        }
    }

    @Override
    public Dialect dialect() {
        return Dialect.POSTGRESQL;
    }

    /** No group commit here: each write is its own transaction. */
    @Override
    public void listen(WriteListener newListener) {
        if (newListener != WriteListener.NONE) {
            throw new UnsupportedOperationException("write listeners are for the embedded database's writer thread");
        }
    }

    @Override
    public long[] writeBatchesAndUnits() {
        long n = writes.get();
        return new long[] {n, n};
    }

    /** A connection outside the pool, for a node's long-held session lock (job leadership). */
    public Connection dedicatedConnection() throws SQLException {
        return java.sql.DriverManager.getConnection(target.jdbcUrl(), properties("castellan-server-leader"));
    }

    private java.util.Properties properties(String applicationName) {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", target.user());
        if (target.password() != null) {
            p.setProperty("password", new String(target.password()));
        }
        p.setProperty("ApplicationName", applicationName);
        return p;
    }

    @Override
    public void close() {
        startupDone();
        dataSource.close();
    }

    static boolean retryable(Throwable e) {
        String state = sqlState(e);
        return "40001".equals(state) || "40P01".equals(state);
    }

    static String sqlState(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(5, 20L * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void rollbackQuietly(Connection connection, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException rollback) {
            cause.addSuppressed(rollback);
        }
    }
}
