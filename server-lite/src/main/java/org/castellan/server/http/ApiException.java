package org.castellan.server.http;

/**
 * A request refused with a precise status and machine-readable code. Handlers throw it; the one
 * mapper in {@link ErrorMapping} writes {@code {"error":code,"message":...}}. Messages never hold a
 * secret or echo a submitted value.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private long retryAfterSeconds;

    public ApiException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** Seconds for a {@code Retry-After} header; 0 = none. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public ApiException withRetryAfter(long seconds) {
        this.retryAfterSeconds = seconds;
        return this;
    }

    public static ApiException tooManyRequests(String code, String message, long retryAfterSeconds) {
        return new ApiException(429, code, message).withRetryAfter(retryAfterSeconds);
    }

    public static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message);
    }

    public static ApiException unauthorized(String code, String message) {
        return new ApiException(401, code, message);
    }

    public static ApiException forbidden(String code, String message) {
        return new ApiException(403, code, message);
    }

    public static ApiException notFound(String code, String message) {
        return new ApiException(404, code, message);
    }

    public static ApiException conflict(String code, String message) {
        return new ApiException(409, code, message);
    }
}
