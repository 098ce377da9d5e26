package org.castellan.cli.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import javax.net.ssl.HttpsURLConnection;
import org.castellan.cli.CliException;
import org.castellan.cli.config.ClientSettings;
import org.castellan.protocol.ApiError;
import org.castellan.protocol.Secret;
import org.castellan.protocol.tls.PinnedConnections;
import org.castellan.protocol.tls.PinnedTrust;

/**
 * The admin API over HTTPS. Each call names what it is doing ({@code context}), so every failure
 * reads "get password for web01: ..."; server errors become {@link ApiException}, transport and
 * TLS failures a {@link CliException} with exit code 3.
 *
 * <p>Requests go through {@link PinnedConnections} (the JDK's client; no redirect followed, no POST
 * sent twice): a CLI call makes one or two requests and exits, and the JDK client is ready in a
 * fraction of the time a client library takes to load (docs/performance.md).
 */
public final class AdminApi implements AutoCloseable {
    private static final String USER_AGENT = "castellan-cli/1";
    /** Pages are bounded by the server; an answer this large is not one of its answers. */
    private static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

    private final ServerUrl base;
    private final Secret token;
    private final PinnedConnections connections;

    public AdminApi(ClientSettings settings) {
        this.base = settings.server();
        this.token = settings.token();
        PinnedTrust trust = settings.serverFingerprint() != null
                ? PinnedTrust.pinned(settings.serverFingerprint())
                : PinnedTrust.systemCas();
        this.connections = new PinnedConnections(trust, Duration.ofSeconds(10), Duration.ofSeconds(60));
    }

    public ApiResponse get(String context, Endpoint endpoint) {
        return send(context, endpoint, "GET", null);
    }

    public ApiResponse post(String context, Endpoint endpoint, JsonNode body) {
        return send(context, endpoint, "POST", body);
    }

    public ApiResponse put(String context, Endpoint endpoint, JsonNode body) {
        return send(context, endpoint, "PUT", body);
    }

    public ApiResponse delete(String context, Endpoint endpoint) {
        return send(context, endpoint, "DELETE", null);
    }

    /**
     * POSTs a body that holds a secret (a password, a webhook secret): the JSON is written straight
     * from the secret's characters and its bytes are wiped once sent.
     */
    public ApiResponse postSecret(String context, Endpoint endpoint, SecretJsonBody body) {
        byte[] bytes = body.bytes();
        try {
            return exchange(context, endpoint, "POST", bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private ApiResponse send(String context, Endpoint endpoint, String method, JsonNode body) {
        return exchange(context, endpoint, method, requestBody(method, body));
    }

    private ApiResponse exchange(String context, Endpoint endpoint, String method, byte[] body) {
        try {
            PinnedConnections.Answer answer = connections.exchange(url(endpoint), method, this::identify, body,
                    "application/json; charset=utf-8", MAX_RESPONSE_BYTES);
            if (answer.status() >= 300) {
                throw failure(context, answer);
            }
            return new ApiResponse(context, answer.status(), answer.body(), answer.header("X-Next-Cursor"));
        } catch (IOException e) {
            throw ConnectionFailures.describe(context, base, connections.isPinned(), e);
        }
    }

    /** The CLI's name and, when it has one, the token: on every request. */
    private void identify(HttpsURLConnection connection) {
        connection.setRequestProperty("User-Agent", USER_AGENT);
        if (token != null) {
            char[] tokenChars = token.chars();
            try {
                connection.setRequestProperty("Authorization", "Bearer " + new String(tokenChars));
            } finally {
                Arrays.fill(tokenChars, '\0');
            }
        }
    }

    private static byte[] requestBody(String method, JsonNode body) {
        if (body == null) {
            // An action without parameters (rotate, revoke) still sends a JSON object: a server that
            // parses every POST body strictly accepts {}, where an empty body would be malformed JSON.
            return method.equals("GET") || method.equals("DELETE") ? null : "{}".getBytes(StandardCharsets.UTF_8);
        }
        try {
            return LenientJson.mapper().writer().withoutFeatures(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode request body", e);
        }
    }

    /** {@code /api/v1/…} under the server URL, keeping any path prefix it has (a reverse proxy may mount the server under one). */
    URI url(Endpoint endpoint) {
        return base.resolve(endpoint.segments(), endpoint.queryParameters());
    }

    private static CliException failure(String context, PinnedConnections.Answer answer) throws IOException {
        int status = answer.status();
        if (status < 400) {
            String location = answer.header("Location");
            return new CliException(CliException.FAILED, context + ": the server answered with a redirect (HTTP " + status
                    + (location != null ? " to " + location : "") + "), which the CLI does not follow; check the server URL");
        }
        // Not our server's error body (a proxy's HTML page, say): fall back to the status line.
        ApiError error = ApiError.read(answer.body()).orElse(null);
        String reason = answer.reason();
        String code = error != null ? error.error() : "http-error";
        String message = error != null && error.message() != null ? error.message()
                : reason == null || reason.isBlank() ? "request failed" : reason;
        return new ApiException(context, status, code, message, answer.header("Retry-After"));
    }

    /** Nothing to release: the JDK owns its keep-alive cache and closes idle connections itself. */
    @Override
    public void close() {}
}
