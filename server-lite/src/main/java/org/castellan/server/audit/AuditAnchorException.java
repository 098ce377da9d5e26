package org.castellan.server.audit;

/**
 * The audit head anchor cannot be trusted or written: forged, unreadable, missing its key, or the
 * database does not reach the head it records. The message says which, for the operator.
 */
public class AuditAnchorException extends RuntimeException {
    public AuditAnchorException(String message) {
        super(message);
    }

    public AuditAnchorException(String message, Throwable cause) {
        super(message, cause);
    }
}
