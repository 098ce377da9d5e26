package org.castellan.cli;

/**
 * A failure the user must see, with the exit code it maps to. The message is printed after
 * {@code castellan: } and must never hold a secret.
 */
public class CliException extends RuntimeException {
    /** The server said no, or the request made no sense (bad config, unknown device). */
    public static final int FAILED = 1;
    /** Bad command line; picocli uses the same code for its own parse errors. */
    public static final int USAGE = 2;
    /** The server could not be reached, or TLS failed. */
    public static final int CONNECTION = 3;

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
