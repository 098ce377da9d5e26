package org.castellan.cli.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.castellan.cli.CliException;
import org.castellan.cli.config.ClientSettings;
import org.castellan.protocol.ApiError;
import org.castellan.protocol.Secret;
import org.castellan.protocol.tls.PinnedTrust;

/**
 * The admin API over HTTPS. Each call names what it is doing ({@code context}), so every failure
 * reads "get password for web01: ..."; server errors become {@link ApiException}, transport and
 * TLS failures a {@link CliException} with exit code 3.
 */
public final class AdminApi implements AutoCloseable {
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private static final String USER_AGENT = "castellan-cli/1";

    private final HttpUrl base;
    private final Secret token;
    private final boolean pinned;
    private final OkHttpClient client;

    public AdminApi(ClientSettings settings) {
        this.base = settings.server();
        this.token = settings.token();
        PinnedTrust trust = settings.serverFingerprint() != null
                ? PinnedTrust.pinned(settings.serverFingerprint())
                : PinnedTrust.systemCas();
        this.pinned = trust.isPinned();
        OkHttpClient.Builder builder = new OkHttpClient.Builder()
                .sslSocketFactory(trust.socketFactory(), trust.trustManager())
                // A redirect could carry the bearer token somewhere else: never follow one.
                .followRedirects(false)
                .followSslRedirects(false)
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(Duration.ofSeconds(60))
                .callTimeout(Duration.ofSeconds(120));
        if (pinned) {
            // The pinned fingerprint is the server's identity; its name does not matter (see PinnedTrust).
            builder.hostnameVerifier((hostname, session) -> true);
        }
        this.client = builder.build();
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
            return sendBody(context, endpoint, "POST", RequestBody.create(bytes, JSON));
        } finally {
            java.util.Arrays.fill(bytes, (byte) 0);
        }
    }

    private ApiResponse send(String context, Endpoint endpoint, String method, JsonNode body) {
        return sendBody(context, endpoint, method, requestBody(method, body));
    }

    private ApiResponse sendBody(String context, Endpoint endpoint, String method, RequestBody body) {
        HttpUrl url = url(endpoint);
        Request.Builder builder = new Request.Builder()
                .url(url)
                .header("Accept", "application/json")
                .header("User-Agent", USER_AGENT)
                .method(method, body);
        if (token != null) {
            char[] tokenChars = token.chars();
            try {
                builder.header("Authorization", "Bearer " + new String(tokenChars));
            } finally {
                java.util.Arrays.fill(tokenChars, '\0');
            }
        }
        try (Response response = client.newCall(builder.build()).execute()) {
            byte[] bytes = response.body().bytes();
            if (response.code() >= 300) {
                throw failure(context, response, bytes);
            }
            return new ApiResponse(context, response.code(), bytes, response.header("X-Next-Cursor"));
        } catch (IOException e) {
            throw ConnectionFailures.describe(context, base, pinned, e);
        }
    }

    private static RequestBody requestBody(String method, JsonNode body) {
        if (body == null) {
            // An action without parameters (rotate, revoke) still sends a JSON object: a server that
            // parses every POST body strictly accepts {}, where an empty body would be malformed JSON.
            return method.equals("GET") || method.equals("DELETE") ? null : RequestBody.create("{}".getBytes(StandardCharsets.UTF_8), JSON);
        }
        try {
            return RequestBody.create(LenientJson.mapper().writer().withoutFeatures(
                    com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(body), JSON);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode request body", e);
        }
    }

    HttpUrl url(Endpoint endpoint) {
        HttpUrl.Builder builder = base.newBuilder();
        // Keep any path prefix the server URL has (a reverse proxy may mount the server under one).
        if (!base.pathSegments().isEmpty() && base.pathSegments().get(base.pathSegments().size() - 1).isEmpty()) {
            builder.removePathSegment(base.pathSegments().size() - 1);
        }
        builder.addPathSegment("api").addPathSegment("v1");
        for (String segment : endpoint.segments()) {
            builder.addPathSegment(segment);
        }
        for (Map.Entry<String, String> parameter : endpoint.queryParameters().entrySet()) {
            builder.addQueryParameter(parameter.getKey(), parameter.getValue());
        }
        return builder.build();
    }

    private static CliException failure(String context, Response response, byte[] bytes) {
        int status = response.code();
        if (status < 400) {
            String location = response.header("Location");
            return new CliException(CliException.FAILED, context + ": the server answered with a redirect (HTTP " + status
                    + (location != null ? " to " + location : "") + "), which the CLI does not follow; check the server URL");
        }
        // Not our server's error body (a proxy's HTML page, say): fall back to the status line.
        ApiError error = ApiError.read(bytes).orElse(null);
        String code = error != null ? error.error() : "http-error";
        String message = error != null && error.message() != null ? error.message()
                : response.message().isBlank() ? "request failed" : response.message();
        return new ApiException(context, status, code, message, response.header("Retry-After"));
    }

    @Override
    public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
