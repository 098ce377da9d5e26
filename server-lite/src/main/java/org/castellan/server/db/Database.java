package org.castellan.server.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;
import org.castellan.server.files.SecureFiles;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The embedded SQLite database: WAL for concurrent readers, {@code synchronous=FULL} so a commit
 * is on disk before we acknowledge it (an escrow is acknowledged only once durable, promise 1),
 * {@code BEGIN IMMEDIATE} transactions, and one writer at a time through a lock here rather than
 * SQLite busy-retries.
 */
public final class Database implements AutoCloseable {
    public static final String FILE_NAME = "castellan.db";
    private final HikariDataSource dataSource;
    private final ReentrantLock writeLock = new ReentrantLock(true);
    private volatile WriteListener listener = WriteListener.NONE;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
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
        sqlite.setBusyTimeout(10_000);
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
     * Runs {@code work} in one immediate transaction, alone; commits (durably) or rolls back. The
     * {@link WriteListener} hears the outcome under the lock and, after a commit, again once the
     * lock is released (so its file I/O does not hold up the next writer).
     */
    public <T> T write(SqlWork<T> work) {
        T result = null;
        boolean committed = false;
        WriteListener current = listener;
        writeLock.lock();
        try {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try {
                    result = work.run(connection);
                    connection.commit();
                    committed = true;
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(connection, e);
                    throw e;
                } finally {
                    connection.setAutoCommit(true);
                }
            } catch (SQLException e) {
                throw new StorageException("database write failed", e);
            } finally {
                if (committed) {
                    current.committed();
                } else {
                    current.rolledBack();
                }
            }
        } finally {
            writeLock.unlock();
        }
        current.afterCommit();
        return result;
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

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException rollback) {
            cause.addSuppressed(rollback);
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
