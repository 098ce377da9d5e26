package org.castellan.bench;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.castellan.protocol.AgentPaths;
import org.castellan.protocol.Json;
import org.castellan.protocol.envelope.AssociatedData;
import org.castellan.protocol.envelope.SecretEnvelope;
import org.castellan.protocol.messages.CheckInRequest;
import org.castellan.protocol.messages.EscrowRequest;
import org.castellan.protocol.messages.RegisterRequest;
import org.castellan.protocol.messages.RegisterResponse;
import org.castellan.protocol.messages.RotationOutcome;
import org.castellan.protocol.messages.VaultKey;
import org.castellan.protocol.signing.DeviceKeyPair;
import org.castellan.protocol.signing.RequestSigner;
import org.castellan.protocol.signing.SignedHeaders;
import org.castellan.protocol.tls.PinnedTrust;

/**
 * One HTTPS client shared by every simulated device (a real fleet has one connection per device;
 * here keep-alive connections are reused so the benchmark measures the server, not TLS handshakes),
 * plus the device and admin calls the benchmark makes.
 */
final class BenchClient {
    private static final MediaType JSON = MediaType.get("application/json");
    private final String url;
    private final OkHttpClient http;

    BenchClient(BenchServer server, int connections) {
        this.url = server.url();
        PinnedTrust trust = PinnedTrust.pinned(server.fingerprint());
        this.http = new OkHttpClient.Builder().sslSocketFactory(trust.socketFactory(), trust.trustManager())
                .hostnameVerifier((h, s) -> true).connectionPool(new ConnectionPool(connections, 5, TimeUnit.MINUTES))
                .callTimeout(Duration.ofSeconds(30)).build();
    }

    /** A device with its own Ed25519 key, used by one thread at a time. */
    final class Device {
        private final String hostname;
        private final DeviceKeyPair key = DeviceKeyPair.generate(new SecureRandom());
        private final RequestSigner signer = new RequestSigner(key, Clock.systemUTC(), new SecureRandom());
        private String id;
        private VaultKey vaultKey;

        Device(String hostname) {
            this.hostname = hostname;
        }

        String id() {
            return id;
        }

        void register(String registrationKey) throws Exception {
            RegisterResponse answer = post(AgentPaths.REGISTER, new RegisterRequest(registrationKey, hostname, "linux",
                    "1", "bench", key.publicKeyBase64()), RegisterResponse.class);
            id = answer.deviceId();
            vaultKey = answer.vaultKey();
        }

        void checkIn() throws Exception {
            post(AgentPaths.CHECK_IN, new CheckInRequest(hostname, "1", "bench", "root", null, List.of()), Object.class);
        }

        /** Seals a new password (client-side HPKE, as the agent does); returns the rotation id and request. */
        EscrowRequest seal(String password) throws Exception {
            String rotationId = UUID.randomUUID().toString();
            var envelope = SecretEnvelope.seal(vaultKey, AssociatedData.forPassword(id, "root", rotationId),
                    password.getBytes(StandardCharsets.UTF_8));
            return new EscrowRequest(rotationId, "root", envelope);
        }

        void escrow(EscrowRequest request) throws Exception {
            post(AgentPaths.ROTATIONS, request, Object.class);
        }

        void commit(String rotationId) throws Exception {
            post(AgentPaths.commit(rotationId), new RotationOutcome(null), Object.class);
        }

        private <T> T post(String path, Object message, Class<T> answerType) throws Exception {
            byte[] body = Json.mapper().writeValueAsBytes(message);
            SignedHeaders signed = signer.sign("POST", path, id, body);
            Request.Builder request = new Request.Builder().url(url + path).post(RequestBody.create(body, JSON));
            signed.asMap().forEach(request::header);
            return call(request.build(), answerType);
        }
    }

    String createRegistrationKey(String token, int maxUses) throws Exception {
        byte[] body = Json.mapper().writeValueAsBytes(java.util.Map.of("name", "bench", "maxUses", maxUses));
        Request request = new Request.Builder().url(url + "/api/v1/registration-keys")
                .header("Authorization", "Bearer " + token).post(RequestBody.create(body, JSON)).build();
        return (String) call(request, java.util.Map.class).get("key");
    }

    void reveal(String token, String deviceId) throws Exception {
        Request request = new Request.Builder().url(url + "/api/v1/devices/" + deviceId + "/password?reason=bench")
                .header("Authorization", "Bearer " + token).build();
        call(request, Object.class);
    }

    /** The password a reveal returns (the regression guard compares it with the last one committed). */
    String revealedPassword(String token, String deviceId) throws Exception {
        Request request = new Request.Builder().url(url + "/api/v1/devices/" + deviceId + "/password?reason=smoke")
                .header("Authorization", "Bearer " + token).build();
        return (String) call(request, java.util.Map.class).get("password");
    }

    /** The no-op ceiling: {@code GET /healthz} over the same client (kept-alive connections). */
    void healthz() throws Exception {
        try (Response response = http.newCall(new Request.Builder().url(url + "/healthz").build()).execute()) {
            response.body().string();
            if (!response.isSuccessful()) {
                throw new IllegalStateException("/healthz answered " + response.code());
            }
        }
    }

    private <T> T call(Request request, Class<T> answerType) throws Exception {
        try (Response response = http.newCall(request).execute()) {
            String text = response.body().string();
            if (!response.isSuccessful()) {
                throw new IllegalStateException(request.url().encodedPath() + " answered " + response.code() + ": " + text);
            }
            return Json.tolerant().readValue(text, answerType);
        }
    }
}
