package org.castellan.cli.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A real HTTPS server on 127.0.0.1 with a self-signed certificate, answering recorded JSON per
 * method and path (optionally only for given query parameters, for paging; the route with the most
 * matching parameters wins, then the latest) with optional response headers, and recording every
 * request it gets. Unrouted requests get a 404 error body.
 */
public final class RecordingHttpsServer implements AutoCloseable {
    /** One request as the server saw it. */
    public record Recorded(String method, String path, String rawPath, String rawQuery, Map<String, String> query,
            String authorization, String contentType, String body) {}

    private record Canned(int status, String body, Map<String, String> headers) {}

    private record Route(String method, String path, Map<String, String> query, Canned canned) {
        boolean matches(String method, String path, Map<String, String> query) {
            return this.method.equals(method) && this.path.equals(path)
                    && this.query.entrySet().stream().allMatch(e -> e.getValue().equals(query.get(e.getKey())));
        }
    }

    private static final int DROP = -1;

    private final SelfSignedCertificate certificate = SelfSignedCertificate.create("castellan-test");
    private final HttpsServer server;
    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();

    public RecordingHttpsServer() {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(certificate.keyStore(), SelfSignedCertificate.STORE_PASSWORD);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(keys.getKeyManagers(), null, null);
            server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(tls));
            server.createContext("/", this::handle);
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start test HTTPS server", e);
        }
    }

    public RecordingHttpsServer respond(String method, String path, int status, String body) {
        return respond(method, path, Map.of(), status, body, Map.of());
    }

    /** Answers only requests whose query holds every one of {@code query}, with extra response headers. */
    public RecordingHttpsServer respond(String method, String path, Map<String, String> query, int status, String body,
            Map<String, String> headers) {
        routes.add(new Route(method, path, Map.copyOf(query), new Canned(status, body, Map.copyOf(headers))));
        return this;
    }

    /** Takes requests for {@code method path} in and closes the connection without an answer, as a crashing server would. */
    public RecordingHttpsServer dropConnection(String method, String path) {
        return respond(method, path, DROP, "");
    }

    public String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    public String fingerprint() {
        return certificate.fingerprint();
    }

    public List<Recorded> requests() {
        return List.copyOf(requests);
    }

    public Recorded lastRequest(String method, String path) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path))
                .reduce((first, second) -> second)
                .orElseThrow(() -> new AssertionError("no " + method + " " + path + " among " + requests));
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getPath();
        String rawQuery = exchange.getRequestURI().getRawQuery();
        requests.add(new Recorded(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawPath(), rawQuery, decode(rawQuery),
                exchange.getRequestHeaders().getFirst("Authorization"),
                exchange.getRequestHeaders().getFirst("Content-Type"), body));
        Map<String, String> query = decode(rawQuery);
        Route best = null;
        for (Route route : routes) {
            if (route.matches(exchange.getRequestMethod(), path, query)
                    && (best == null || route.query().size() >= best.query().size())) {
                best = route;
            }
        }
        if (best != null && best.canned().status() == DROP) {
            // The handler fails: the JDK server closes the connection and answers nothing.
            throw new IOException("dropped on purpose");
        }
        Canned canned = best != null ? best.canned()
                : new Canned(404, "{\"error\":\"not-found\",\"message\":\"no route for " + path + "\"}", Map.of());
        byte[] bytes = canned.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        canned.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.sendResponseHeaders(canned.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> decode(String rawQuery) {
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery == null) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            query.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return query;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
