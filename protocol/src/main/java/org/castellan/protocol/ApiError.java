package org.castellan.protocol;

import java.io.IOException;
import java.util.Optional;

/** The body of every error response: a machine-readable code and a message for people. */
public record ApiError(String error, String message) {
    /**
     * The one reader of an error response's body, for the CLI and the agent: the error when the
     * body is the server's {@code {"error":…,"message":…}} (fields it does not know ignored), empty
     * when it is anything else (a proxy's HTML page, say), so the caller falls back to the status.
     */
    public static Optional<ApiError> read(byte[] body) {
        if (body == null || body.length == 0) {
            return Optional.empty();
        }
        try {
            ApiError error = Json.tolerant().readValue(body, ApiError.class);
            return error != null && error.error() != null ? Optional.of(error) : Optional.empty();
        } catch (IOException | RuntimeException notTheErrorBody) {
            return Optional.empty();
        }
    }
}
