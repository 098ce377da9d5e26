package org.castellan.server.db;

import java.io.IOException;

/** The configured PostgreSQL database cannot be used: unreachable, credentials refused, or a schema this code cannot run. */
public final class DatabaseOpenException extends IOException {
    public DatabaseOpenException(String message, Throwable cause) {
        super(message, cause);
    }
}
