package org.castellan.agent.spi;

/**
 * A platform operation failed. {@link #code()} is short and machine-readable; the message says
 * what was attempted and never contains a secret.
 */
public class PlatformException extends Exception {
    private final String code;

    public PlatformException(String code, String message) {
        super(message);
        this.code = code;
    }

    public PlatformException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
