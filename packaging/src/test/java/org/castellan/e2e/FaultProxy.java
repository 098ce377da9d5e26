package org.castellan.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.castellan.protocol.tls.Fingerprints;
import org.castellan.protocol.tls.PinnedTrust;

/**
 * A TLS-terminating reverse proxy between the agent and the real server, which can break the
 * network at a chosen request: the agent pins the proxy's certificate, the proxy pins the
 * server's, and headers and body pass through byte for byte so signatures still verify.
 */
final class FaultProxy implements AutoCloseable {
    /** What to do with the next request whose path ends with a given suffix. */
    enum Fault {
        /** The server never sees it; the agent gets a 503, as from a load balancer with no backend. */
        REFUSE,
        /** The server processes it, then the connection drops before the agent gets the answer. */
        DROP_RESPONSE,
        /** The server processes it, then {@code after} runs (e.g. kills the agent), then the answer goes back. */
        PASS_THEN
    }

    private record Rule(Fault fault, Runnable before, Runnable after) {}

    private final HttpsServer https;
    private final X509Certificate certificate;
    private final Map<String, Rule> rules = new ConcurrentHashMap<>();
    private final List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile Supplier<ServerProcess> target;

    FaultProxy(Supplier<ServerProcess> target) throws Exception {
        this.target = target;
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair pair = generator.generateKeyPair();
        X500Name name = new X500Name("CN=castellan-test-proxy");
        long now = System.currentTimeMillis();
        certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                name, BigInteger.valueOf(now), new Date(now - 60_000), new Date(now + 86_400_000L), name, pair.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        char[] password = "proxy".toCharArray();
        keyStore.setKeyEntry("proxy", pair.getPrivate(), password, new X509Certificate[] {certificate});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, password);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        https.setExecutor(Executors.newCachedThreadPool());
        https.createContext("/", this::handle);
        https.start();
    }

    String url() {
        return "https://127.0.0.1:" + https.getAddress().getPort();
    }

    String fingerprint() {
        return Fingerprints.sha256Hex(certificate);
    }

    /** Break the next request whose path ends with {@code pathSuffix}, after running {@code before}. */
    void failNext(String pathSuffix, Fault fault, Runnable before) {
        rules.put(pathSuffix, new Rule(fault, before, () -> { }));
    }

    /** Let the next request whose path ends with {@code pathSuffix} through, and run {@code after} once the server answered. */
    void afterNext(String pathSuffix, Runnable after) {
        rules.put(pathSuffix, new Rule(Fault.PASS_THEN, () -> { }, after));
    }

    void failNext(String pathSuffix, Fault fault) {
        failNext(pathSuffix, fault, () -> { });
    }

    /** Paths seen, in order. */
    List<String> seen() {
        return seen;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        seen.add(exchange.getRequestMethod() + " " + path);
        Rule rule = null;
        for (var entry : rules.entrySet()) {
            if (path.endsWith(entry.getKey()) && rules.remove(entry.getKey(), entry.getValue())) {
                rule = entry.getValue();
                break;
            }
        }
        try (exchange) {
            if (rule != null) {
                rule.before().run();
                if (rule.fault() == Fault.REFUSE) {
                    respond(exchange, 503, "application/json", "{\"error\":\"unavailable\",\"message\":\"proxy fault\"}".getBytes());
                    return;
                }
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            ServerProcess server = target.get();
            OkHttpClient client = client(server.fingerprint());
            Request.Builder request = new Request.Builder().url(server.url() + exchange.getRequestURI().toString());
            exchange.getRequestHeaders().forEach((name, values) -> {
                String lower = name.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("x-castellan-") || lower.equals("authorization")) {
                    values.forEach(v -> request.addHeader(name, v));
                }
            });
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            boolean hasBody = !exchange.getRequestMethod().equals("GET");
            request.method(exchange.getRequestMethod(), hasBody
                    ? RequestBody.create(body, contentType == null ? null : MediaType.parse(contentType)) : null);
            try (Response response = client.newCall(request.build()).execute()) {
                byte[] answer = response.body().bytes();
                if (rule != null && rule.fault() == Fault.PASS_THEN) {
                    rule.after().run();
                }
                if (rule != null && rule.fault() == Fault.DROP_RESPONSE) {
                    // An exception from a handler makes the JDK server close the connection unanswered.
                    throw new IOException("fault injected: dropping the response to " + path);
                }
                respond(exchange, response.code(), response.header("Content-Type", "application/json"), answer);
            } catch (IOException e) {
                respond(exchange, 502, "application/json", "{\"error\":\"bad-gateway\",\"message\":\"server unreachable\"}".getBytes());
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static OkHttpClient client(String fingerprint) {
        PinnedTrust trust = PinnedTrust.pinned(fingerprint);
        return new OkHttpClient.Builder()
                .sslSocketFactory(trust.socketFactory(), trust.trustManager())
                .hostnameVerifier((host, session) -> true)
                .retryOnConnectionFailure(false)
                .readTimeout(30, TimeUnit.SECONDS)
                .build();
    }

    @Override
    public void close() {
        https.stop(0);
    }
}
