package org.castellan.agent.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.security.SecureRandom;
import java.util.Map;
import java.net.URISyntaxException;
import javax.net.ssl.SSLException;
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
import org.castellan.protocol.tls.PinnedConnections;
import org.castellan.protocol.tls.PinnedTrust;

/**
 * {@link ServerApi} over HTTPS. Every request is signed with the device key over the exact body
 * bytes that are then sent, so what the server verifies is what it received.
 *
 * <p>Requests go through {@link PinnedConnections} (the JDK's client; no redirect followed, and
 * a signed request is never resent by the HTTP layer: its nonce would be refused and the resend
 * would hide the real failure).
 */
public final class ServerClient implements ServerApi {
    /** Answers are small; anything larger is refused rather than buffered. */
    private static final int MAX_RESPONSE_BYTES = 256 * 1024;

    private final URI base;
    private final PinnedConnections connections;
    private final RequestSigner signer;
    private final String deviceId;

    /**
     * @param server base URL, {@code https://host:port}
     * @param deviceId null before registration
     */
    public ServerClient(URI server, PinnedTrust trust, DeviceKeyPair key, String deviceId, Clock clock) {
        if (server.getScheme() == null || !server.getScheme().equalsIgnoreCase("https") || server.getHost() == null) {
            throw new IllegalArgumentException("server URL must use https: " + server);
        }
        this.base = server;
        this.connections = new PinnedConnections(trust, Duration.ofSeconds(15), Duration.ofSeconds(60));
        this.deviceId = deviceId;
        this.signer = new RequestSigner(key, clock, new SecureRandom());
    }

    /**
     * A TLS failure said once, with the fix for where the agent stands. Before registration (no
     * device id): a pin that does not match means the {@code --server-fingerprint} given is not
     * this server's, and a certificate no system CA vouches for (the server's self-signed one)
     * needs {@code --server-fingerprint}. Once registered: the server's certificate changed, or this
     * is another server; after checking, {@code register --force} with the new fingerprint.
     */
    private ServerException tlsFailure(SSLException e) {
        String where = "TLS handshake with " + base.getHost() + ":" + port() + " failed: ";
        java.security.cert.CertificateException certificate = find(e, java.security.cert.CertificateException.class);
        boolean registered = deviceId != null;
        String message;
        boolean pinned = connections.isPinned();
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
        URI url = url("/healthz");
        try {
            PinnedConnections.Answer answer = connections.exchange(url, "GET", PinnedConnections.Headers.NONE, null,
                    null, MAX_RESPONSE_BYTES);
            long date = answer.dateHeader("Date");
            return new ServerHealth(answer.status(), date == 0 ? null : java.time.Instant.ofEpochMilli(date));
        } catch (SSLException e) {
            throw tlsFailure(e);
        } catch (InterruptedIOException e) {
            throw new ServerException(0, ServerException.UNREACHABLE, "GET " + url + " timed out", e);
        } catch (IOException e) {
            throw new ServerException(0, ServerException.UNREACHABLE, "GET " + url + " failed: " + rootMessage(e), e);
        }
    }

    private <T> T post(String path, Object message, Class<T> answerType) throws ServerException {
        URI url = url(path);
        byte[] body;
        try {
            body = Json.mapper().writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
        }
        String pathAndQuery = url.getRawQuery() == null ? url.getRawPath() : url.getRawPath() + "?" + url.getRawQuery();
        SignedHeaders signed = signer.sign("POST", pathAndQuery, deviceId, body);
        try {
            PinnedConnections.Answer answer = connections.exchange(url, "POST", connection -> {
                for (Map.Entry<String, String> header : signed.asMap().entrySet()) {
                    connection.setRequestProperty(header.getKey(), header.getValue());
                }
            }, body, "application/json", MAX_RESPONSE_BYTES);
            int status = answer.status();
            if (status < 200 || status >= 300) {
                throw errorFrom(status, answer.body());
            }
            try {
                return Json.tolerant().readValue(answer.body(), answerType);
            } catch (IOException e) {
                throw new ServerException(status, ServerException.BAD_RESPONSE,
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

    /** {@code path} on this server (any path of the configured URL is not the API's). */
    private URI url(String path) {
        try {
            // The multi-argument constructor quotes what a path may not hold (an id a server sent, say).
            return new URI("https", null, base.getHost(), base.getPort(), path, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot make a URL of " + path + " on " + base, e);
        }
    }

    private int port() {
        return base.getPort() == -1 ? 443 : base.getPort();
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
