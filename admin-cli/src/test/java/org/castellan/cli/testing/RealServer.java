package org.castellan.cli.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.castellan.protocol.AgentPaths;
import org.castellan.protocol.Json;
import org.castellan.protocol.messages.RegisterRequest;
import org.castellan.protocol.signing.DeviceKeyPair;
import org.castellan.protocol.signing.RequestSigner;
import org.castellan.protocol.tls.PinnedTrust;
import org.castellan.server.CastellanServer;
import org.castellan.server.config.ServerConfig;
import org.castellan.server.ratelimit.RateLimitSettings;
import org.castellan.server.ratelimit.RateWindow;

/**
 * The real Castellan server, in-process on 127.0.0.1 over HTTPS with its own self-signed
 * certificate and SQLite database, for CLI tests that must hold against what the server really
 * answers; devices enrol as agents do (a registration key, a request signed by a fresh device key).
 */
public final class RealServer implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final MediaType JSON = MediaType.get("application/json");
    private final CastellanServer server;
    private final String adminToken;
    private final OkHttpClient http;

    private RealServer(CastellanServer server) {
        this.server = server;
        this.adminToken = server.initialAdminToken().orElseThrow();
        PinnedTrust trust = PinnedTrust.pinned(server.fingerprint());
        this.http = new OkHttpClient.Builder().sslSocketFactory(trust.socketFactory(), trust.trustManager())
                .hostnameVerifier((host, session) -> true).callTimeout(20, TimeUnit.SECONDS).build();
    }

    /** Registration and reveal limits out of the way: the tests are about names, not about limits. */
    public static RealServer start(Path dataDir) throws Exception {
        return start(dataDir, Clock.systemUTC());
    }

    /**
     * As {@link #start(Path)}, the server reading the time from {@code clock} (a test moves it on
     * to make devices stale; enrol devices before, as their requests are signed with the real time).
     */
    public static RealServer start(Path dataDir, Clock clock) throws Exception {
        RateLimitSettings defaults = RateLimitSettings.defaults();
        RateLimitSettings generous = new RateLimitSettings(List.of(RateWindow.perMinute(100_000)),
                defaults.loginMaxFailures(), defaults.loginWindow(), defaults.loginLockFor(),
                List.of(RateWindow.perMinute(100_000)), defaults.trustedProxies());
        return new RealServer(CastellanServer.start(ServerConfig.of(dataDir, "127.0.0.1:0").withLimits(generous), clock));
    }

    /** The CLI, pinned to this server, as the bootstrap admin. */
    public CliRunner admin(Path home) {
        return as(home, adminToken);
    }

    /** The CLI, pinned to this server, with {@code token}. */
    public CliRunner as(Path home, String token) {
        return new CliRunner(home).env("CASTELLAN_SERVER", server.url())
                .env("CASTELLAN_SERVER_FINGERPRINT", server.fingerprint()).env("CASTELLAN_TOKEN", token).secret(token);
    }

    /** Enrols a device named {@code hostname} with {@code registrationKey}; returns its id. */
    public String register(String registrationKey, String hostname) throws IOException {
        DeviceKeyPair key = DeviceKeyPair.generate(RANDOM);
        byte[] body = Json.mapper().writeValueAsBytes(new RegisterRequest(registrationKey, hostname, "linux", "Debian 12",
                "0.1.0", key.publicKeyBase64()));
        Request.Builder request = new Request.Builder().url(server.url() + AgentPaths.REGISTER)
                .post(RequestBody.create(body, JSON));
        new RequestSigner(key, Clock.systemUTC(), RANDOM).sign("POST", AgentPaths.REGISTER, null, body).asMap()
                .forEach(request::header);
        try (Response response = http.newCall(request.build()).execute()) {
            String text = response.body().string();
            if (response.code() != 201) {
                throw new AssertionError("registering " + hostname + " failed: " + response.code() + " " + text);
            }
            JsonNode answer = Json.mapper().readTree(text);
            return answer.get("deviceId").asText();
        }
    }

    /** POSTs {@code body} as JSON to {@code path} as the bootstrap admin; the answer, which must be 201. */
    public JsonNode create(String path, Object body) throws IOException {
        Request request = new Request.Builder().url(server.url() + path).header("Authorization", "Bearer " + adminToken)
                .post(RequestBody.create(Json.mapper().writeValueAsBytes(body), JSON)).build();
        try (Response response = http.newCall(request).execute()) {
            String text = response.body().string();
            if (response.code() != 201) {
                throw new AssertionError("POST " + path + " failed: " + response.code() + " " + text);
            }
            return Json.mapper().readTree(text);
        }
    }

    @Override
    public void close() {
        server.close();
    }

}
