package org.castellan.protocol.envelope;

/** An envelope could not be sealed or opened. The message never contains secret material. */
public class EnvelopeException extends Exception {
    public EnvelopeException(String message) {
        super(message);
    }

    public EnvelopeException(String message, Throwable cause) {
        super(message, cause);
    }
}
