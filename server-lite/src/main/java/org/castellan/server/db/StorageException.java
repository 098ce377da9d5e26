package org.castellan.server.db;

import java.sql.SQLException;
import java.sql.SQLTransientException;
import org.castellan.server.http.Unavailable;

/**
 * The database failed (I/O, lock timeout, broken file). A busy or locked database (after the busy
 * timeout), an exhausted connection pool and a full disk are temporary: answered 503 with
 * {@code Retry-After}; anything else is a 500 without detail.
 */
public class StorageException extends RuntimeException implements Unavailable {
    // SQLite primary result codes (the low byte of the extended code).
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;
    private static final int SQLITE_FULL = 13;

    private final String unavailableCode;
    private final long retryAfter;

    public StorageException(String message, Throwable cause) {
        super(message, cause);
        int code = sqliteCode(cause);
        String state = PostgresDatabase.sqlState(cause);
        if (code == SQLITE_BUSY || code == SQLITE_LOCKED || hasTransient(cause) || postgresBusy(state)) {
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
     * PostgreSQL: connection lost or refused (08…), the server shutting down or restarting (57P0…),
     * out of connections or memory (53…), or a lost race still lost after the retries (40001, 40P01).
     */
    private static boolean postgresBusy(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("57P0") || state.equals("53300")
                || state.equals("53200") || state.equals("40001") || state.equals("40P01"));
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
