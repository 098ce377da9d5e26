package org.castellan.cli.http;

import org.castellan.cli.CliException;

/**
 * The server answered with an error status; printed as {@code <context>: <message> (<code>, HTTP <status>)},
 * followed by {@code ; retry after N seconds} when the server sent {@code Retry-After} (429 rate-limited,
 * locked-out), so the user knows when to try again.
 */
public final class ApiException extends CliException {
    private final int status;
    private final String code;
    private final String serverMessage;

    private final String retryAfter;

    public ApiException(String context, int status, String code, String serverMessage) {
        this(context, status, code, serverMessage, null);
    }

    public ApiException(String context, int status, String code, String serverMessage, String retryAfter) {
        super(FAILED, context + ": " + serverMessage + " (" + code + ", HTTP " + status + ")" + retryHint(retryAfter));
        this.status = status;
        this.code = code;
        this.serverMessage = serverMessage;
        this.retryAfter = retryAfter;
    }

    /** Retry-After is seconds or an HTTP date; either is shown as given, anything else is left out. */
    private static String retryHint(String retryAfter) {
        if (retryAfter == null || retryAfter.isBlank()) {
            return "";
        }
        String value = retryAfter.strip();
        if (value.matches("\\d{1,9}")) {
            return "; retry after " + value + (value.equals("1") ? " second" : " seconds");
        }
        return value.matches("[A-Za-z0-9 ,:]{1,40}") ? "; retry after " + value : "";
    }

    /** The raw Retry-After header, or null. */
    public String retryAfter() {
        return retryAfter;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String serverMessage() {
        return serverMessage;
    }
}
