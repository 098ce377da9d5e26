package org.castellan.agent.macos.parse;

/** A tool printed something its parser does not recognise; the message quotes no secret. */
public class UnexpectedOutputException extends Exception {
    public UnexpectedOutputException(String message) {
        super(message);
    }

    public UnexpectedOutputException(String message, Throwable cause) {
        super(message, cause);
    }

    /** First line of a tool's output, shortened, for an error message. */
    static String excerpt(String output) {
        String trimmed = output == null ? "" : output.strip();
        int newline = trimmed.indexOf('\n');
        String first = newline < 0 ? trimmed : trimmed.substring(0, newline);
        return first.length() > 160 ? first.substring(0, 160) + "…" : first;
    }
}
