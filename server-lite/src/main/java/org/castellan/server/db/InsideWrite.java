package org.castellan.server.db;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Marks the thread that is running a write transaction's work, for
 * {@link Database#inWriteTransaction}. Set around the work in the one place each implementation
 * runs it: a unit of a batch on the SQLite writer thread ({@link QueuedWrite#run}), an attempt of a
 * PostgreSQL write on its caller's thread ({@link PostgresDatabase#write}).
 */
final class InsideWrite {
    private static final ThreadLocal<Boolean> ACTIVE = new ThreadLocal<>();

    private InsideWrite() {}

    /** Runs {@code work} on {@code connection} with the calling thread marked as inside a write. */
    static <T> T run(SqlWork<T> work, Connection connection) throws SQLException {
        if (active()) {
            return work.run(connection); // already marked: the outer run clears the mark
        }
        ACTIVE.set(Boolean.TRUE);
        try {
            return work.run(connection);
        } finally {
            ACTIVE.remove();
        }
    }

    static boolean active() {
        return ACTIVE.get() != null;
    }
}
