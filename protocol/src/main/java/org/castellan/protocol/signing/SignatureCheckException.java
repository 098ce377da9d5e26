package org.castellan.protocol.signing;

/**
 * A signed request was refused. {@link #code()} is the machine-readable error the server returns.
 */
public class SignatureCheckException extends Exception {
    private final String code;

    public SignatureCheckException(String code, String message) {
        super(message);
        this.code = code;
    }

    /** {@code missing-signature}, {@code bad-signature}, {@code stale-request} or {@code replayed-request}. */
    public String code() {
        return code;
    }
}
