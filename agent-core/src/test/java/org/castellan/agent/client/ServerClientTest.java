package org.castellan.agent.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.castellan.protocol.AgentPaths;
import org.castellan.protocol.Headers;
import org.castellan.protocol.Json;
import org.castellan.protocol.messages.AccountOptions;
import org.castellan.protocol.messages.AgentPolicy;
import org.castellan.protocol.messages.CheckInRequest;
import org.castellan.protocol.messages.CheckInResponse;
import org.castellan.protocol.messages.RegisterRequest;
import org.castellan.protocol.messages.RotationOutcome;
import org.castellan.protocol.envelope.VaultKeyPair;
import org.castellan.protocol.signing.DeviceKeyPair;
import org.castellan.protocol.signing.RequestVerifier;
import org.castellan.protocol.signing.SignatureCheckException;
import org.castellan.protocol.tls.Fingerprints;
import org.castellan.protocol.tls.PinnedTrust;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ServerClient against a real local HTTPS endpoint that verifies signatures like the server does. */
class ServerClientTest {
    private static SelfSignedTls tls;

    private HttpsServer https;
    private final DeviceKeyPair deviceKey = DeviceKeyPair.generate(new SecureRandom());
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<String> verificationFailures = new CopyOnWriteArrayList<>();
    private final Set<String> nonces = ConcurrentHashMap.newKeySet();
    private volatile int status = 200;
    private volatile boolean dropConnections;
    private volatile String answer;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        if (tls == null) {
            tls = new SelfSignedTls();
        }
        https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext));
        https.createContext("/", this::handle);
        https.start();
        base = URI.create("https://127.0.0.1:" + https.getAddress().getPort());
        answer = Json.mapper().writeValueAsString(new CheckInResponse(Instant.parse("2026-01-01T00:00:00Z"),
                new AgentPolicy("", 20, "full", 0, false, 30, 900, AccountOptions.NONE),
                VaultKeyPair.generate("v1", new SecureRandom()).publicKey(), true, "no-password"));
    }

    @AfterEach
    void stop() {
        https.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getRawPath();
        received.add(exchange.getRequestMethod() + " " + path);
        if (dropConnections) {
            // The handler fails: the JDK server closes the connection and answers nothing.
            throw new IOException("dropped on purpose");
        }
        RequestVerifier verifier = new RequestVerifier(Clock.systemUTC(), RequestVerifier.DEFAULT_MAX_SKEW,
                (key, nonce, ts) -> nonces.add(key + nonce));
        String deviceId = exchange.getRequestHeaders().getFirst(Headers.DEVICE);
        try {
            verifier.verify(exchange.getRequestMethod(), path, exchange.getRequestHeaders()::getFirst, deviceId,
                    deviceKey.publicKeyBase64(), body);
        } catch (SignatureCheckException e) {
            verificationFailures.add(e.code());
        }
        byte[] out = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, out.length);
        exchange.getResponseBody().write(out);
        exchange.close();
    }

    private ServerClient client(PinnedTrust trust, String deviceId) {
        return new ServerClient(base, trust, deviceKey, deviceId, Clock.systemUTC());
    }

    private String fingerprint() {
        return Fingerprints.sha256Hex(tls.certificate);
    }

    @Test
    void signedCheckInVerifiesOnTheServerAndTheAnswerIsParsed() throws Exception {
        CheckInResponse response = client(PinnedTrust.pinned(fingerprint()), "device-7")
                .checkIn(new CheckInRequest("host-1", "Debian 12", "0.1", "root", null, List.of()));

        assertThat(response.rotate()).isTrue();
        assertThat(response.policy().checkInSeconds()).isEqualTo(900);
        assertThat(received).containsExactly("POST " + AgentPaths.CHECK_IN);
        assertThat(verificationFailures).isEmpty();
    }

    @Test
    void registrationIsSignedWithoutADeviceId() throws Exception {
        answer = "{\"deviceId\":\"d1\",\"vaultKey\":{\"keyId\":\"v\",\"algorithm\":\"a\",\"publicKey\":\"p\"},"
                + "\"policy\":{\"account\":\"\",\"length\":20,\"complexity\":\"full\",\"passphraseWords\":0,"
                + "\"excludeLookalikes\":false,\"maxAgeDays\":30,\"checkInSeconds\":3600}}";
        status = 201;

        assertThat(client(PinnedTrust.pinned(fingerprint()), null).register(new RegisterRequest("key", "h", "linux",
                "v", "0.1", deviceKey.publicKeyBase64())).deviceId()).isEqualTo("d1");
        assertThat(verificationFailures).isEmpty();
    }

    @Test
    void signaturesCoverTheRotationPath() throws Exception {
        answer = "{\"rotationId\":\"r-1\",\"state\":\"committed\"}";

        client(PinnedTrust.pinned(fingerprint()), "device-7").commit("r-1", new RotationOutcome(null));

        assertThat(received).containsExactly("POST " + AgentPaths.commit("r-1"));
        assertThat(verificationFailures).isEmpty();
    }

    @Test
    void errorBodyBecomesServerExceptionWithStatusAndCode() {
        status = 409;
        answer = "{\"error\":\"rotation-conflict\",\"message\":\"rotation exists with another envelope\"}";

        assertThatThrownBy(() -> client(PinnedTrust.pinned(fingerprint()), "d").abort("r", new RotationOutcome("x")))
                .isInstanceOfSatisfying(ServerException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.code()).isEqualTo("rotation-conflict");
                    assertThat(e.isDefiniteRefusal()).isTrue();
                })
                .hasMessage("server returned 409 rotation-conflict: rotation exists with another envelope");
    }

    @Test
    void nonProtocolErrorBodyIsStillDescribed() {
        status = 502;
        answer = "<html><body>Bad gateway</body></html>";

        assertThatThrownBy(() -> client(PinnedTrust.pinned(fingerprint()), "d").checkIn(
                new CheckInRequest("h", "v", "0.1", null, null, List.of())))
                .isInstanceOfSatisfying(ServerException.class, e -> assertThat(e.code()).isEqualTo("http-502"))
                .hasMessageContaining("Bad gateway");
    }

    @Test
    void wrongPinnedFingerprintIsRejectedBeforeAnyRequestIsSent() {
        String wrong = "00".repeat(32);

        assertThatThrownBy(() -> client(PinnedTrust.pinned(wrong), "d").checkIn(
                new CheckInRequest("h", "v", "0.1", null, null, List.of())))
                .isInstanceOfSatisfying(ServerException.class, e -> {
                    assertThat(e.status()).isZero();
                    assertThat(e.code()).isEqualTo(ServerException.TLS_FAILURE);
                    // Said once, with what to check and the flag that trusts a new certificate.
                    assertThat(e.getMessage()).containsOnlyOnce("does not match the pinned fingerprint")
                            .contains("--server-fingerprint");
                });
        assertThat(received).isEmpty();
    }

    @Test
    void selfSignedServerIsRejectedWhenTrustingSystemCas() {
        assertThatThrownBy(() -> client(PinnedTrust.systemCas(), "d").checkIn(
                new CheckInRequest("h", "v", "0.1", null, null, List.of())))
                .isInstanceOfSatisfying(ServerException.class, e -> {
                    assertThat(e.code()).isEqualTo(ServerException.TLS_FAILURE);
                    assertThat(e.getMessage()).as("names the fix, not the JDK's PKIX text")
                            .contains("--server-fingerprint").doesNotContain("PKIX");
                });
        assertThat(received).isEmpty();
    }

    @Test
    void closedPortIsReportedAsUnreachable() throws Exception {
        // Bound but never listening, and held for the whole test: a connection to it is refused,
        // and no other test's server can take the port meanwhile (as it could once a probe
        // ServerSocket had been closed again).
        try (Socket bound = new Socket()) {
            bound.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            ServerClient client = new ServerClient(URI.create("https://127.0.0.1:" + bound.getLocalPort()),
                    PinnedTrust.pinned(fingerprint()), deviceKey, "d", Clock.systemUTC());

            assertThatThrownBy(() -> client.checkIn(new CheckInRequest("h", "v", "0.1", null, null, List.of())))
                    .isInstanceOfSatisfying(ServerException.class, e -> {
                        assertThat(e.code()).isEqualTo(ServerException.UNREACHABLE);
                        assertThat(e.isDefiniteRefusal()).isFalse();
                    });
        }
    }

    @Test
    void plainHttpServerUrlIsRefused() {
        assertThatThrownBy(() -> new ServerClient(URI.create("http://127.0.0.1:1"), PinnedTrust.systemCas(),
                deviceKey, "d", Clock.systemUTC())).hasMessageContaining("https");
    }

    @Test
    void fieldsANewerServerAddsAreIgnoredButWrongTypesAreABadResponse() throws Exception {
        answer = "{\"rotationId\":\"r\",\"state\":\"committed\",\"addedByANewerServer\":1}";
        assertThat(client(PinnedTrust.pinned(fingerprint()), "d").commit("r", new RotationOutcome(null)).state())
                .isEqualTo("committed");

        answer = "{\"rotationId\":7,\"state\":\"committed\"}";
        assertThatThrownBy(() -> client(PinnedTrust.pinned(fingerprint()), "d").commit("r", new RotationOutcome(null)))
                .isInstanceOfSatisfying(ServerException.class,
                        e -> assertThat(e.code()).isEqualTo(ServerException.BAD_RESPONSE));
    }

    @Test
    void aSignedRequestWhoseAnswerNeverCameIsNotSentAgain() {
        dropConnections = true;

        assertThatThrownBy(() -> client(PinnedTrust.pinned(fingerprint()), "d").checkIn(
                new CheckInRequest("h", "v", "0.1", null, null, List.of())))
                .isInstanceOfSatisfying(ServerException.class, e -> {
                    assertThat(e.code()).isEqualTo(ServerException.UNREACHABLE);
                    assertThat(e.isDefiniteRefusal()).isFalse();
                });
        assertThat(received).as("sent once: a resend would reuse the nonce, and hide the failure")
                .containsExactly("POST " + AgentPaths.CHECK_IN);
    }

    @Test
    void aRotationIdIsOneSegmentOfThePathWhateverItHolds() throws Exception {
        answer = "{\"rotationId\":\"r\",\"state\":\"committed\"}";

        client(PinnedTrust.pinned(fingerprint()), "d").commit("a b?c#d", new RotationOutcome(null));

        assertThat(received).containsExactly("POST " + AgentPaths.commit("a%20b%3Fc%23d"));
        assertThat(verificationFailures).as("signed over the path the server received").isEmpty();
    }

    @Test
    void healthReadsTheStatusAndTheServersClock() throws Exception {
        ServerHealth health = client(PinnedTrust.pinned(fingerprint()), null).health();

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.serverTime()).isNotNull()
                .isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(60));
        assertThat(received).containsExactly("GET /healthz");
    }
}
