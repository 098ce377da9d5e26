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
        try {
            Migrations.configure(dataSource, Dialect.POSTGRESQL).load().migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw new DatabaseOpenException("cannot use database " + target + ": " + rootMessage(e), e);
        }
        return new PostgresDatabase(dataSource, target);
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
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try {
                    T result = work.run(UnitConnection.guard(connection));
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
        return java.sql.DriverManager.getConnection(target.jdbcUrl(), properties());
    }

    private java.util.Properties properties() {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", target.user());
        if (target.password() != null) {
            p.setProperty("password", new String(target.password()));
        }
        p.setProperty("ApplicationName", "castellan-server-leader");
        return p;
    }

    @Override
    public void close() {
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
