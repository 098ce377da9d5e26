package org.castellan.server.db;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;
import org.castellan.server.http.Unavailable;

/**
 * The database failed (I/O, lock timeout, broken file). A busy or locked database (after the busy
 * timeout), a database that cannot be reached (PostgreSQL down, restarting, refusing this node, or
 * no pooled connection within the pool's timeout) and a full disk are temporary: answered 503 with
 * {@code Retry-After}, so an agent with several server URLs and a load balancer move on to another
 * node; anything else is a 500 without detail.
 */
public class StorageException extends RuntimeException implements Unavailable {
    // SQLite primary result codes (the low byte of the extended code).
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;
    private static final int SQLITE_FULL = 13;

    /** The 503 code for a database that cannot be reached (as opposed to {@code database-busy}). */
    public static final String DATABASE_UNAVAILABLE = "database-unavailable";

    private final String unavailableCode;
    private final long retryAfter;

    public StorageException(String message, Throwable cause) {
        super(message, cause);
        int code = sqliteCode(cause);
        String state = PostgresDatabase.sqlState(cause);
        if (unreachable(cause, state)) {
            unavailableCode = DATABASE_UNAVAILABLE;
            retryAfter = 2;
        } else if (code == SQLITE_BUSY || code == SQLITE_LOCKED || hasTransient(cause) || postgresBusy(state)) {
            unavailableCode = "database-busy";
            retryAfter = 2;
        } else if (code == SQLITE_FULL || noSpace(cause) || "53100".equals(state)) {
            unavailableCode = "storage-full";
            retryAfter = 60;
        } else {
            unavailableCode = null;
            retryAfter = 0;
        }
    }

    @Override
    public String unavailableCode() {
        return unavailableCode;
    }

    @Override
    public long retryAfterSeconds() {
        return retryAfter;
    }

    /**
     * PostgreSQL cannot be reached: the connection lost or refused (08…), the server shutting down,
     * restarting or terminating this session (57P0…), or no connection from the pool within its
     * timeout because connecting failed (HikariCP's {@link SQLTransientConnectionException} over the
     * connect error: down, the database not accepting connections, access revoked).
     */
    private static boolean unreachable(Throwable t, String state) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLNonTransientConnectionException
                    || (c instanceof SQLTransientConnectionException && c.getCause() instanceof SQLException)) {
                return true; // a pool timeout without a failed connect under it is a busy pool, not an unreachable database
            }
        }
        return state != null && (state.startsWith("08") || state.startsWith("57P0"));
    }

    /** PostgreSQL: out of connections or memory (53…), or a lost race still lost after the retries (40001, 40P01). */
    private static boolean postgresBusy(String state) {
        return state != null && (state.equals("53300") || state.equals("53200") || state.equals("40001")
                || state.equals("40P01"));
    }

    private static int sqliteCode(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLException sql && sql.getErrorCode() != 0) {
                return sql.getErrorCode() & 0xff;
            }
        }
        return 0;
    }

    private static boolean hasTransient(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLTransientException) {
                return true; // e.g. no pooled connection within the timeout
            }
        }
        return false;
    }

    private static boolean noSpace(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof java.io.IOException && c.getMessage() != null
                    && c.getMessage().contains("No space left on device")) {
                return true;
            }
        }
        return false;
    }
}
