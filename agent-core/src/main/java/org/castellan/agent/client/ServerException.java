package org.castellan.agent.client;

/**
 * The server refused a request, or could not be reached.
 *
 * @see #status() the HTTP status, or 0 when no HTTP answer came (network, TLS, timeout)
 */
public class ServerException extends Exception {
    public static final String UNREACHABLE = "server-unreachable";
    public static final String TLS_FAILURE = "tls-failure";
    public static final String BAD_RESPONSE = "bad-response";

    private final int status;
    private final String code;
    private final String serverMessage;

    public ServerException(int status, String code, String serverMessage) {
        this(status, code, serverMessage, null);
    }

    public ServerException(int status, String code, String serverMessage, Throwable cause) {
        super(format(status, code, serverMessage), cause);
        this.status = status;
        this.code = code;
        this.serverMessage = serverMessage;
    }

    private static String format(int status, String code, String message) {
        if (status == 0) {
            return code + ": " + message;
        }
        return "server returned " + status + " " + code + (message == null || message.isBlank() ? "" : ": " + message);
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

    /**
     * Whether the server gave a definite answer about the request itself (a 4xx other than
     * timeouts, rate limits and authentication), as opposed to a failure worth retrying later.
     */
    public boolean isDefiniteRefusal() {
        return status >= 400 && status < 500 && status != 401 && status != 408 && status != 429;
    }
}
