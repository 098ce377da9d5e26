package org.castellan.cli.http;

import org.castellan.cli.CliException;

/** The server answered with an error status; printed as {@code <context>: <message> (<code>, HTTP <status>)}. */
public final class ApiException extends CliException {
    private final int status;
    private final String code;
    private final String serverMessage;

    public ApiException(String context, int status, String code, String serverMessage) {
        super(FAILED, context + ": " + serverMessage + " (" + code + ", HTTP " + status + ")");
        this.status = status;
        this.code = code;
        this.serverMessage = serverMessage;
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
