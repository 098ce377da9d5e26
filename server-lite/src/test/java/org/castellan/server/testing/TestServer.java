package org.castellan.server.testing;

import java.time.Clock;
import java.util.List;
import org.castellan.server.notify.DispatcherSettings;
import org.castellan.server.ratelimit.RateLimitSettings;
import org.castellan.server.ratelimit.RateWindow;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.castellan.protocol.Json;
import org.castellan.protocol.tls.PinnedTrust;
import org.castellan.server.CastellanServer;
import org.castellan.server.config.ServerConfig;

/** A real server on 127.0.0.1, an ephemeral port and a temp data directory, with a pinned HTTPS client. */
public final class TestServer implements AutoCloseable {
    public static final MediaType JSON = MediaType.get("application/json");
    public final CastellanServer server;
    public final Path dataDir;
    public final String adminToken;
    public final OkHttpClient http;

    private TestServer(CastellanServer server, Path dataDir, String adminToken) {
        this.server = server;
        this.dataDir = dataDir;
        this.adminToken = adminToken;
        PinnedTrust trust = PinnedTrust.pinned(server.fingerprint());
        this.http = new OkHttpClient.Builder()
                .sslSocketFactory(trust.socketFactory(), trust.trustManager())
                .hostnameVerifier((host, session) -> true) // the pin is the identity
                .retryOnConnectionFailure(false)
                // Longer than a PostgreSQL pool's 10-second connection timeout, so a test sees the
                // 503 a node answers after waiting for a database that cannot be reached.
                .readTimeout(20, TimeUnit.SECONDS)
                .callTimeout(20, TimeUnit.SECONDS)
                .build();
    }

    /** Reveal limits high enough that tests about other things never meet them. */
    public static final RateLimitSettings GENEROUS = RateLimitSettings.defaults().withRevealWindows(
            List.of(RateWindow.perMinute(100_000)));

    public static TestServer start(Path dataDir) throws Exception {
        return start(dataDir, GENEROUS, Clock.systemUTC(), DispatcherSettings.defaults());
    }

    public static TestServer start(Path dataDir, RateLimitSettings limits, Clock clock, DispatcherSettings webhooks)
            throws Exception {
        return start(dataDir, limits, clock, webhooks, org.castellan.server.config.ConsoleSettings.defaults());
    }

    public static TestServer start(Path dataDir, RateLimitSettings limits, Clock clock, DispatcherSettings webhooks,
                                   org.castellan.server.config.ConsoleSettings console) throws Exception {
        CastellanServer server = CastellanServer.start(config(dataDir, limits), clock, webhooks, console);
        String token = server.initialAdminToken().orElseThrow();
        return new TestServer(server, dataDir, token);
    }

    /** On the embedded database, or on PostgreSQL when the run is on PostgreSQL ({@link OnPostgres}). */
    public static ServerConfig config(Path dataDir, RateLimitSettings limits) {
        return config(dataDir).withLimits(limits);
    }

    /** {@code serve --data DIR --listen 127.0.0.1:0} with the default limits, on this run's database. */
    public static ServerConfig config(Path dataDir) {
        ServerConfig config = ServerConfig.of(dataDir, "127.0.0.1:0");
        return OnPostgres.active() ? config.withDatabase(OnPostgres.targetFor(dataDir)) : config;
    }

    /** On the embedded SQLite database whatever the run's backend (for a test of moving off it). */
    public static TestServer startEmbedded(Path dataDir) throws Exception {
        CastellanServer server = CastellanServer.start(ServerConfig.of(dataDir, "127.0.0.1:0").withLimits(GENEROUS));
        return new TestServer(server, dataDir, server.initialAdminToken().orElseThrow());
    }

    /** Wraps an already started server (e.g. a restart, which prints no new token). */
    public static TestServer attach(CastellanServer server, Path dataDir, String adminToken) {
        return new TestServer(server, dataDir, adminToken);
    }

    /** The base64 SHA-256 of the server certificate's public key, as Chromium's SPKI pin list takes it. */
    public String spkiPin() throws Exception {
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        Path tls = dataDir.resolve("tls");
        char[] password = java.nio.file.Files.readString(tls.resolve("server.p12.password")).strip().toCharArray();
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(tls.resolve("server.p12"))) {
            store.load(in, password);
        }
        String alias = store.aliases().nextElement();
        byte[] spki = store.getCertificate(alias).getPublicKey().getEncoded();
        return java.util.Base64.getEncoder().encodeToString(
                java.security.MessageDigest.getInstance("SHA-256").digest(spki));
    }

    public String url(String path) {
        return server.url() + path;
    }

    public Reply get(String path) throws IOException {
        return call(new Request.Builder().url(url(path)).header("Authorization", "Bearer " + adminToken).get().build());
    }

    public Reply getWithToken(String path, String token) throws IOException {
        Request.Builder builder = new Request.Builder().url(url(path)).get();
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return call(builder.build());
    }

    public Reply post(String path, Object body) throws IOException {
        return send("POST", path, body);
    }

    public Reply put(String path, Object body) throws IOException {
        return send("PUT", path, body);
    }

    /** Any method, as the holder of {@code token} (null: no Authorization header). */
    public Reply sendWithToken(String method, String path, Object body, String token) throws IOException {
        byte[] bytes = body instanceof String s ? s.getBytes(java.nio.charset.StandardCharsets.UTF_8)
                : body == null ? new byte[0] : Json.mapper().writeValueAsBytes(body);
        Request.Builder builder = new Request.Builder().url(url(path));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        if (method.equals("GET")) {
            builder.get();
        } else if (method.equals("DELETE") && body == null) {
            builder.delete();
        } else {
            builder.method(method, RequestBody.create(bytes, JSON));
        }
        return call(builder.build());
    }

    public Reply delete(String path) throws IOException {
        return sendWithToken("DELETE", path, null, adminToken);
    }

    public Reply send(String method, String path, Object body) throws IOException {
        byte[] bytes = body instanceof String s ? s.getBytes(java.nio.charset.StandardCharsets.UTF_8)
                : body == null ? new byte[0] : Json.mapper().writeValueAsBytes(body);
        return call(new Request.Builder().url(url(path)).header("Authorization", "Bearer " + adminToken)
                .method(method, RequestBody.create(bytes, JSON)).build());
    }

    public Reply call(Request request) throws IOException {
        try (Response response = http.newCall(request).execute()) {
            return new Reply(response.code(), response.header("Content-Type"), response.body().string(),
                    response.headers());
        }
    }

    /** An HTTP answer, read fully. */
    public record Reply(int status, String contentType, String body, okhttp3.Headers headers) {
        public String header(String name) {
            return headers.get(name);
        }

        public JsonNode json() {
            try {
                return Json.mapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("response is not JSON: " + body, e);
            }
        }

        public String error() {
            return json().path("error").asText(null);
        }
    }

    @Override
    public void close() {
        http.connectionPool().evictAll();
        http.dispatcher().executorService().shutdown();
        server.stop();
    }
}
