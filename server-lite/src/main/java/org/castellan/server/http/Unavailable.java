package org.castellan.server.http;

/**
 * An exception (anywhere in a failure's cause chain) saying the server cannot do this now but may
 * shortly: the error mapping answers 503 with {@code Retry-After} instead of a 500. Implemented by
 * the storage layer for a busy or locked database and a full disk.
 */
public interface Unavailable {
    /** The error code for the JSON body, or null when this failure is not a temporary one. */
    String unavailableCode();

    long retryAfterSeconds();
}
