package org.castellan.agent.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.security.SecureRandom;
import java.util.Map;
import javax.net.ssl.SSLException;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.castellan.protocol.AgentPaths;
import org.castellan.protocol.ApiError;
import org.castellan.protocol.Json;
import org.castellan.protocol.messages.CheckInRequest;
import org.castellan.protocol.messages.CheckInResponse;
import org.castellan.protocol.messages.EscrowRequest;
import org.castellan.protocol.messages.EscrowResponse;
import org.castellan.protocol.messages.LuksKeyEscrowRequest;
import org.castellan.protocol.messages.LuksKeyRef;
import org.castellan.protocol.messages.LuksKeyState;
import org.castellan.protocol.messages.RecoveryKeyEscrowRequest;
import org.castellan.protocol.messages.RecoveryKeyEscrowResponse;
import org.castellan.protocol.messages.RegisterRequest;
import org.castellan.protocol.messages.RegisterResponse;
import org.castellan.protocol.messages.RotationOutcome;
import org.castellan.protocol.messages.RotationStateResponse;
import org.castellan.protocol.signing.DeviceKeyPair;
import org.castellan.protocol.signing.RequestSigner;
import org.castellan.protocol.signing.SignedHeaders;
import org.castellan.protocol.tls.PinnedTrust;

/**
 * {@link ServerApi} over HTTPS with OkHttp. Every request is signed with the device key over the
 * exact body bytes that are then sent, so what the server verifies is what it received.
 */
public final class ServerClient implements ServerApi {
    private static final MediaType JSON = MediaType.get("application/json");
    /** Answers are small; anything larger is refused rather than buffered. */
    private static final int MAX_RESPONSE_BYTES = 256 * 1024;

    private final HttpUrl base;
    private final boolean pinned;
    private final OkHttpClient http;
    private final RequestSigner signer;
    private final String deviceId;

    /**
     * @param server base URL, {@code https://host:port}
     * @param deviceId null before registration
     */
    public ServerClient(URI server, PinnedTrust trust, DeviceKeyPair key, String deviceId, Clock clock) {
        HttpUrl url = HttpUrl.get(server);
        if (!url.isHttps()) {
            throw new IllegalArgumentException("server URL must use https: " + server);
        }
        this.base = url;
        this.deviceId = deviceId;
        this.signer = new RequestSigner(key, clock, new SecureRandom());
        OkHttpClient.Builder builder = new OkHttpClient.Builder()
                .sslSocketFactory(trust.socketFactory(), trust.trustManager())
                .connectTimeout(Duration.ofSeconds(15))
                .readTimeout(Duration.ofSeconds(60))
                .writeTimeout(Duration.ofSeconds(30))
                .callTimeout(Duration.ofSeconds(120))
                .followRedirects(false)
                .followSslRedirects(false)
                // A signed request must not be replayed by the HTTP layer itself: the nonce
                // would be rejected and the retry would hide the real failure.
                .retryOnConnectionFailure(false);
        if (trust.isPinned()) {
            // The pinned fingerprint is the server's identity; its host name is not (see PinnedTrust).
            builder.hostnameVerifier((host, session) -> true);
        }
        this.http = builder.build();
        this.pinned = trust.isPinned();
    }

    /**
     * A TLS failure said once, with the fix for where the agent stands. Before registration (no
     * device id): a pin that does not match means the {@code --server-fingerprint} given is not
     * this server's, and a certificate no system CA vouches for (the server's self-signed one)
     * needs {@code --server-fingerprint}. Once registered: the server's certificate changed, or this
     * is another server; after checking, {@code register --force} with the new fingerprint.
     */
    private ServerException tlsFailure(SSLException e) {
        String where = "TLS handshake with " + base.host() + ":" + base.port() + " failed: ";
        java.security.cert.CertificateException certificate = find(e, java.security.cert.CertificateException.class);
        boolean registered = deviceId != null;
        String message;
        if (pinned && certificate != null) {
            message = where + certificate.getMessage() + (registered
                    ? "; the server's certificate changed or this is another server: check the fingerprint the server"
                            + " prints at start-up, then castellan-agent register --force --server-fingerprint NEW"
                    : "; check the --server-fingerprint you gave against the one the server prints at start-up");
        } else if (!pinned && certificate != null) {
            message = where + "the server's certificate is not signed by a CA this machine trusts; if the server uses"
                    + " the self-signed certificate it made at its first start, " + (registered
                            ? "register again with castellan-agent register --force --server-fingerprint SHA256"
                            : "register with --server-fingerprint SHA256")
                    + " (the fingerprint the server printed)";
        } else {
            message = where + distinctMessages(e);
        }
        return new ServerException(0, ServerException.TLS_FAILURE, message, e);
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** The messages along the cause chain, each once (an exception often repeats its cause's). */
    private static String distinctMessages(Throwable failure) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && parts.stream().noneMatch(p -> p.contains(m))) {
                parts.add(m);
            }
        }
        return parts.isEmpty() ? failure.getClass().getSimpleName() : String.join(": ", parts);
    }

    @Override
    public RegisterResponse register(RegisterRequest request) throws ServerException {
        return post(AgentPaths.REGISTER, request, RegisterResponse.class);
    }

    @Override
    public CheckInResponse checkIn(CheckInRequest request) throws ServerException {
        return post(AgentPaths.CHECK_IN, request, CheckInResponse.class);
    }

    @Override
    public EscrowResponse escrow(EscrowRequest request) throws ServerException {
        return post(AgentPaths.ROTATIONS, request, EscrowResponse.class);
    }

    @Override
    public RotationStateResponse commit(String rotationId, RotationOutcome outcome) throws ServerException {
        return post(AgentPaths.commit(rotationId), outcome, RotationStateResponse.class);
    }

    @Override
    public RotationStateResponse abort(String rotationId, RotationOutcome outcome) throws ServerException {
        return post(AgentPaths.abort(rotationId), outcome, RotationStateResponse.class);
    }

    @Override
    public LuksKeyState escrowLuksKey(LuksKeyEscrowRequest request) throws ServerException {
        return post(AgentPaths.LUKS_KEYS, request, LuksKeyState.class);
    }

    @Override
    public LuksKeyState commitLuksKey(LuksKeyRef key) throws ServerException {
        return post(AgentPaths.LUKS_KEY_COMMIT, key, LuksKeyState.class);
    }

    @Override
    public LuksKeyState retireLuksKey(LuksKeyRef key) throws ServerException {
        return post(AgentPaths.LUKS_KEY_RETIRE, key, LuksKeyState.class);
    }

    @Override
    public RecoveryKeyEscrowResponse escrowRecoveryKeys(RecoveryKeyEscrowRequest request) throws ServerException {
        return post(AgentPaths.RECOVERY_KEYS, request, RecoveryKeyEscrowResponse.class);
    }

    @Override
    public ServerHealth health() throws ServerException {
        HttpUrl url = base.newBuilder().encodedPath("/healthz").build();
        Request request = new Request.Builder().url(url).get().header("Accept", "application/json").build();
        try (Response response = http.newCall(request).execute()) {
            readLimited(response.body());
            java.util.Date date = response.headers().getDate("Date");
            return new ServerHealth(response.code(), date == null ? null : date.toInstant());
        } catch (SSLException e) {
            throw tlsFailure(e);
        } catch (InterruptedIOException e) {
            throw new ServerException(0, ServerException.UNREACHABLE, "GET " + url + " timed out", e);
        } catch (IOException e) {
            throw new ServerException(0, ServerException.UNREACHABLE, "GET " + url + " failed: " + rootMessage(e), e);
        }
    }

    private <T> T post(String path, Object message, Class<T> answerType) throws ServerException {
        HttpUrl url = base.newBuilder().encodedPath(path).build();
        byte[] body;
        try {
            body = Json.mapper().writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
        }
        String pathAndQuery = url.encodedQuery() == null ? url.encodedPath()
                : url.encodedPath() + "?" + url.encodedQuery();
        SignedHeaders signed = signer.sign("POST", pathAndQuery, deviceId, body);
        Request.Builder request = new Request.Builder().url(url).post(RequestBody.create(body, JSON))
                .header("Accept", "application/json");
        for (Map.Entry<String, String> header : signed.asMap().entrySet()) {
            request.header(header.getKey(), header.getValue());
        }
        try (Response response = http.newCall(request.build()).execute()) {
            byte[] answer = readLimited(response.body());
            if (!response.isSuccessful()) {
                throw errorFrom(response.code(), answer);
            }
            try {
                return Json.tolerant().readValue(answer, answerType);
            } catch (IOException e) {
                throw new ServerException(response.code(), ServerException.BAD_RESPONSE,
                        "could not read " + answerType.getSimpleName() + " from " + path + ": "
                                + originalMessage(e), e);
            }
        } catch (SSLException e) {
            throw tlsFailure(e);
        } catch (InterruptedIOException e) {
            throw new ServerException(0, ServerException.UNREACHABLE,
                    "POST " + url + " timed out", e);
        } catch (IOException e) {
            throw new ServerException(0, ServerException.UNREACHABLE,
                    "POST " + url + " failed: " + rootMessage(e), e);
        }
    }

    private static byte[] readLimited(ResponseBody body) throws IOException {
        try (InputStream in = body.byteStream()) {
            byte[] bytes = in.readNBytes(MAX_RESPONSE_BYTES + 1);
            if (bytes.length > MAX_RESPONSE_BYTES) {
                throw new IOException("response larger than " + MAX_RESPONSE_BYTES + " bytes");
            }
            return bytes;
        }
    }

    /** Maps the protocol's {@code {"error":..,"message":..}} body; anything else is described. */
    static ServerException errorFrom(int status, byte[] body) {
        ApiError error = ApiError.read(body).orElse(null);
        if (error != null) {
            return new ServerException(status, error.error(), error.message());
        }
        // Not the protocol's error body (a proxy's HTML page, say).
        String text = new String(body, 0, Math.min(body.length, 200), java.nio.charset.StandardCharsets.UTF_8)
                .replaceAll("\\s+", " ").strip();
        return new ServerException(status, "http-" + status, text.isEmpty() ? "(no error body)" : text);
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == t ? String.valueOf(t.getMessage()) : t.getMessage() + " (" + root.getMessage() + ")";
    }

    private static String originalMessage(IOException e) {
        return e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    }
}
