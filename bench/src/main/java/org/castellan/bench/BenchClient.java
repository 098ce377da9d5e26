package org.castellan.bench;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * The simulator's HTTPS client, shared by every simulated device, in two modes: kept-alive
 * connections from one pool, or {@code fresh} — a new TLS connection for each request, closed
 * after it ({@code Connection: close}, no idle pool), which is what an agent checking in once an
 * hour does. Requests go round-robin to the server URLs given (several nodes on one database).
 * The JDK's client-side TLS session cache stays on in both modes, as it does in an agent's long
 * running service, so a fresh connection may resume a TLS session.
 */
public final class BenchClient {
    private static final MediaType JSON = MediaType.get("application/json");
    private final List<String> urls;
    private final AtomicLong next = new AtomicLong();
    private final OkHttpClient keepAlive;
    private final OkHttpClient fresh;

    public BenchClient(String url, String fingerprint, int connections) {
        this(List.of(url), fingerprint, connections);
    }

    public BenchClient(List<String> urls, String fingerprint, int connections) {
        this.urls = List.copyOf(urls);
        PinnedTrust trust = PinnedTrust.pinned(fingerprint);
        this.keepAlive = new OkHttpClient.Builder().sslSocketFactory(trust.socketFactory(), trust.trustManager())
                .hostnameVerifier((h, s) -> true).connectionPool(new ConnectionPool(connections, 5, TimeUnit.MINUTES))
                .callTimeout(Duration.ofSeconds(30)).build();
        this.fresh = keepAlive.newBuilder().connectionPool(new ConnectionPool(0, 1, TimeUnit.MILLISECONDS)).build();
    }

    private String url() {
        return urls.get((int) (next.getAndIncrement() % urls.size()));
    }

    /** A device with its own Ed25519 key, used by one thread at a time. */
    public final class Device {
        private final String hostname;
        private final DeviceKeyPair key;
        private final RequestSigner signer;
        private String id;
        private VaultKey vaultKey;

        /** A new device with a random key, to be {@link #register registered}. */
        public Device(String hostname) {
            this(null, hostname, DeviceKeyPair.generate(new SecureRandom()), null);
        }

        /** A device already registered (seeded): its id, key and the vault key it seals to. */
        public Device(String id, String hostname, DeviceKeyPair key, VaultKey vaultKey) {
            this.id = id;
            this.hostname = hostname;
            this.key = key;
            this.signer = new RequestSigner(key, Clock.systemUTC(), new SecureRandom());
            this.vaultKey = vaultKey;
        }

        public String id() {
            return id;
        }

        public void register(String registrationKey) throws Exception {
            RegisterResponse answer = post(AgentPaths.REGISTER, new RegisterRequest(registrationKey, hostname, "linux",
                    "1", "bench", key.publicKeyBase64()), RegisterResponse.class, false);
            id = answer.deviceId();
            vaultKey = answer.vaultKey();
        }

        public void checkIn() throws Exception {
            checkIn(false);
        }

        public void checkIn(boolean freshConnection) throws Exception {
            post(AgentPaths.CHECK_IN, new CheckInRequest(hostname, "1", "bench", FleetLayout.ACCOUNT, null, List.of()),
                    Object.class, freshConnection);
        }

        /** Seals a new password (client-side HPKE, as the agent does); returns the escrow request. */
        public EscrowRequest seal(String password) throws Exception {
            String rotationId = UUID.randomUUID().toString();
            var envelope = SecretEnvelope.seal(vaultKey, AssociatedData.forPassword(id, FleetLayout.ACCOUNT, rotationId),
                    password.getBytes(StandardCharsets.UTF_8));
            return new EscrowRequest(rotationId, FleetLayout.ACCOUNT, envelope);
        }

        public void escrow(EscrowRequest request) throws Exception {
            escrow(request, false);
        }

        public void escrow(EscrowRequest request, boolean freshConnection) throws Exception {
            post(AgentPaths.ROTATIONS, request, Object.class, freshConnection);
        }

        public void commit(String rotationId) throws Exception {
            commit(rotationId, false);
        }

        public void commit(String rotationId, boolean freshConnection) throws Exception {
            post(AgentPaths.commit(rotationId), new RotationOutcome(null), Object.class, freshConnection);
        }

        private <T> T post(String path, Object message, Class<T> answerType, boolean freshConnection) throws Exception {
            byte[] body = Json.mapper().writeValueAsBytes(message);
            SignedHeaders signed = signer.sign("POST", path, id, body);
            Request.Builder request = new Request.Builder().url(url() + path).post(RequestBody.create(body, JSON));
            signed.asMap().forEach(request::header);
            return call(request, answerType, freshConnection);
        }
    }

    public String createRegistrationKey(String token, int maxUses) throws Exception {
        return (String) adminPost(token, "/api/v1/registration-keys", Map.of("name", "bench", "maxUses", maxUses)).get("key");
    }

    /** An admin API POST; the JSON answer as a map. */
    public Map<?, ?> adminPost(String token, String path, Object body) throws Exception {
        byte[] bytes = Json.mapper().writeValueAsBytes(body);
        return call(new Request.Builder().url(url() + path).header("Authorization", "Bearer " + token)
                .post(RequestBody.create(bytes, JSON)), Map.class, false);
    }

    /**
     * The id of the device group named {@code name} whose match is exactly the host-name pattern
     * {@code hostnamePattern}, or null when there is none (groups are few: the first 1,000 are read).
     */
    public String deviceGroupMatching(String token, String name, String hostnamePattern) throws Exception {
        List<?> groups = call(new Request.Builder().url(url() + "/api/v1/device-groups?limit=1000")
                .header("Authorization", "Bearer " + token), List.class, false);
        for (Object entry : groups) {
            Map<?, ?> group = (Map<?, ?>) entry;
            Object match = group.get("match");
            if (name.equals(group.get("name")) && match instanceof Map<?, ?> m && hostnamePattern.equals(m.get("hostname"))
                    && m.get("os") == null) {
                return (String) group.get("id");
            }
        }
        return null;
    }

    public void reveal(String token, String deviceId) throws Exception {
        revealedPassword(token, deviceId);
    }

    /** The password a reveal returns (the lost-write check compares it with the last one committed). */
    public String revealedPassword(String token, String deviceId) throws Exception {
        return (String) call(new Request.Builder().url(url() + "/api/v1/devices/" + deviceId + "/password?reason=fleet-simulator")
                .header("Authorization", "Bearer " + token), Map.class, false).get("password");
    }

    /** {@code GET /api/v1/audit?device=ID&limit=50}: one device's newest audit entries. */
    public void auditOfDevice(String token, String deviceId) throws Exception {
        call(new Request.Builder().url(url() + "/api/v1/audit?device=" + deviceId + "&limit=50")
                .header("Authorization", "Bearer " + token), Object.class, false);
    }

    /** One page of {@code GET /api/v1/devices} (100 devices) after {@code cursor} (null: the first page). */
    public void devicesPage(String token, String cursor) throws Exception {
        call(new Request.Builder().url(url() + "/api/v1/devices?limit=100" + (cursor == null ? "" : "&after=" + cursor))
                .header("Authorization", "Bearer " + token), Object.class, false);
    }

    /** The no-op ceiling: {@code GET /healthz} over the same client, kept alive or on a fresh connection. */
    public void healthz() throws Exception {
        healthz(false);
    }

    public void healthz(boolean freshConnection) throws Exception {
        call(new Request.Builder().url(url() + "/healthz"), String.class, freshConnection);
    }

    private <T> T call(Request.Builder builder, Class<T> answerType, boolean freshConnection) throws Exception {
        if (freshConnection) {
            builder.header("Connection", "close");
        }
        Request request = builder.build();
        try (Response response = (freshConnection ? fresh : keepAlive).newCall(request).execute()) {
            String text = response.body().string();
            if (!response.isSuccessful()) {
                throw new IllegalStateException(request.url().encodedPath() + " answered " + response.code() + ": "
                        + (text.length() > 300 ? text.substring(0, 300) : text));
            }
            return answerType == String.class ? answerType.cast(text) : Json.tolerant().readValue(text, answerType);
        }
    }
}
