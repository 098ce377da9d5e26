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
        if (code == SQLITE_BUSY || code == SQLITE_LOCKED || hasTransient(cause)) {
            unavailableCode = "database-busy";
            retryAfter = 2;
        } else if (code == SQLITE_FULL || noSpace(cause)) {
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
