package org.castellan.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.castellan.agent.client.SelfSignedTls;
import org.castellan.agent.client.ServerConnector;
import org.castellan.agent.client.ServerException;
import org.castellan.agent.config.EnvVars;
import org.castellan.agent.fake.FakePlatform;
import org.castellan.agent.fake.FakeServer;
import org.castellan.agent.fake.SecretScan;
import org.castellan.protocol.AgentPaths;
import org.castellan.protocol.ApiError;
import org.castellan.protocol.Headers;
import org.castellan.protocol.Json;
import org.castellan.protocol.messages.CheckInRequest;
import org.castellan.protocol.messages.EscrowRequest;
import org.castellan.protocol.messages.RegisterRequest;
import org.castellan.protocol.messages.RotationOutcome;
import org.castellan.protocol.signing.RequestVerifier;
import org.castellan.protocol.signing.SignatureCheckException;
import org.castellan.protocol.tls.Fingerprints;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real CLI and the real HTTPS client against a local HTTPS endpoint that verifies every
 * signature (registration by proof of possession, then the registered device key) and hands the
 * calls to the protocol-keeping {@link FakeServer}.
 */
class HttpsEndToEndTest {
    @TempDir
    Path tmp;
    HttpsServer https;
    SelfSignedTls tls;
    FakeServer server = new FakeServer("device-e2e");
    volatile String devicePublicKey;
    final Set<String> nonces = ConcurrentHashMap.newKeySet();
    final Set<String> signatureFailures = ConcurrentHashMap.newKeySet();
    FakePlatform platform;
    ByteArrayOutputStream err;

    @BeforeEach
    void start() throws Exception {
        tls = new SelfSignedTls();
        https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
        https.createContext("/", this::handle);
        https.start();
        platform = new FakePlatform(tmp.resolve("default"));
    }

    @AfterEach
    void stop() {
        https.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getRawPath();
        int status = 200;
        Object answer;
        try {
            boolean registering = path.equals(AgentPaths.REGISTER);
            String publicKey = registering ? Json.mapper().readValue(body, RegisterRequest.class).publicKey() : devicePublicKey;
            String device = exchange.getRequestHeaders().getFirst(Headers.DEVICE);
            if (!registering && !server.deviceId.equals(device)) {
                throw new ServerException(401, "unknown-device", "no device " + device);
            }
            try {
                new RequestVerifier(Clock.systemUTC(), RequestVerifier.DEFAULT_MAX_SKEW,
                        (key, nonce, ts) -> nonces.add(key + nonce))
                        .verify("POST", path, exchange.getRequestHeaders()::getFirst, device, publicKey, body);
            } catch (SignatureCheckException e) {
                signatureFailures.add(path + " " + e.code());
                throw new ServerException(401, e.code(), e.getMessage());
            }
            if (registering) {
                answer = server.register(Json.mapper().readValue(body, RegisterRequest.class));
                devicePublicKey = publicKey;
                status = 201;
            } else if (path.equals(AgentPaths.CHECK_IN)) {
                answer = server.checkIn(Json.mapper().readValue(body, CheckInRequest.class));
            } else if (path.equals(AgentPaths.ROTATIONS)) {
                answer = server.escrow(Json.mapper().readValue(body, EscrowRequest.class));
                status = 201;
            } else if (path.endsWith("/commit")) {
                answer = server.commit(path.split("/")[5], Json.mapper().readValue(body, RotationOutcome.class));
            } else if (path.endsWith("/abort")) {
                answer = server.abort(path.split("/")[5], Json.mapper().readValue(body, RotationOutcome.class));
            } else {
                throw new ServerException(404, "not-found", path);
            }
        } catch (ServerException e) {
            status = e.status();
            answer = new ApiError(e.code(), e.serverMessage());
        } catch (IOException e) {
            status = 400;
            answer = new ApiError("bad-json", e.getMessage());
        }
        byte[] out = Json.mapper().writeValueAsBytes(answer);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, out.length);
        exchange.getResponseBody().write(out);
        exchange.close();
    }

    private int run(Map<String, String> env, String... args) {
        err = new ByteArrayOutputStream();
        AgentContext context = new AgentContext(() -> platform, env, new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Clock.systemUTC(), new SecureRandom(),
                ServerConnector.https(Clock.systemUTC()));
        return AgentMain.run(context, args);
    }

    @Test
    void registerAndRotateOverRealHttpsWithPinnedCertificate() {
        String url = "https://127.0.0.1:" + https.getAddress().getPort();
        Path state = tmp.resolve("state");
        Map<String, String> env = Map.of(EnvVars.REGISTRATION_KEY, "reg-key-e2e",
                EnvVars.SERVER_FINGERPRINT, Fingerprints.sha256Hex(tls.certificate()));

        assertThat(run(env, "register", "--server", url, "--state-dir", state.toString())).as(err.toString()).isZero();
        assertThat(run(Map.of(), "check-in", "--state-dir", state.toString())).as(err.toString()).isZero();

        assertThat(signatureFailures).isEmpty();
        assertThat(platform.accounts.password).isNotEqualTo("initial-password").isEqualTo(server.committedPassword());
        assertThat(server.calls).containsExactly("register", "check-in", "escrow", "commit");
        assertThat(SecretScan.filesContaining(tmp, platform.accounts.password)).isEmpty();
    }

    @Test
    void wrongPinnedFingerprintStopsRegistrationBeforeAnythingIsSent() {
        String url = "https://127.0.0.1:" + https.getAddress().getPort();

        assertThat(run(Map.of(EnvVars.REGISTRATION_KEY, "reg-key-e2e"), "register", "--server", url,
                "--server-fingerprint", "11".repeat(32), "--state-dir", tmp.resolve("s").toString()))
                .isEqualTo(AgentMain.FAILED);

        assertThat(err.toString()).contains("tls-failure").containsOnlyOnce("does not match the pinned fingerprint")
                .as("a first registration is told to check the fingerprint it gave, not to re-register")
                .containsOnlyOnce("check the --server-fingerprint you gave").doesNotContain("--force");
        assertThat(err.toString().strip().lines()).hasSize(1);
        assertThat(server.calls).isEmpty();
        assertThat(tmp.resolve("s/agent.json")).doesNotExist();
    }

    @Test
    void aRegisteredAgentWhoseServerCertificateChangedIsToldToRegisterAgainWithForce() throws Exception {
        int port = https.getAddress().getPort();
        String url = "https://127.0.0.1:" + port;
        Path state = tmp.resolve("state");
        assertThat(run(Map.of(EnvVars.REGISTRATION_KEY, "reg-key-e2e"), "register", "--server", url,
                "--server-fingerprint", Fingerprints.sha256Hex(tls.certificate()), "--state-dir", state.toString()))
                .as(err.toString()).isZero();
        // The server comes back on the same address with another certificate.
        https.stop(0);
        tls = new SelfSignedTls();
        https = HttpsServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
        https.createContext("/", this::handle);
        https.start();

        assertThat(run(Map.of(), "check-in", "--state-dir", state.toString())).isEqualTo(AgentMain.FAILED);

        assertThat(err.toString()).containsOnlyOnce("does not match the pinned fingerprint")
                .containsOnlyOnce("castellan-agent register --force --server-fingerprint NEW")
                .doesNotContain("you gave");
        assertThat(err.toString().strip().lines()).hasSize(1);
    }
}
