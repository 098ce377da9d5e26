package org.castellan.server.db;

/** The database failed (I/O, lock timeout, broken file); mapped to a 500 without detail. */
public class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
