package org.castellan.agent;

/**
 * An agent operation failed. The message carries the context of every layer it passed through
 * ("check in: escrow password for account root: server returned 409 rotation-conflict: ..."), so
 * the top level can print it on one line. Messages never contain a secret.
 */
public class AgentException extends Exception {
    public AgentException(String message) {
        super(message);
    }

    /** Wraps {@code cause}, prefixing its message with {@code context}. */
    public AgentException(String context, Throwable cause) {
        super(context + ": " + describe(cause), cause);
    }

    /** The message of a throwable, or its class name when it has none. */
    public static String describe(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }
}
