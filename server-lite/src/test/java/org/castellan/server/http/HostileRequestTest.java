package org.castellan.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import org.castellan.protocol.AgentPaths;
import org.castellan.protocol.signing.RequestSigner;
import org.castellan.protocol.signing.SignedHeaders;
import org.castellan.server.testing.DbSnapshot;
import org.castellan.server.testing.RawHttps;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestServer;
import org.castellan.server.http.RouteTable.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over a thousand generated malformed requests, written byte for byte on raw TLS sockets (no HTTP
 * client to tidy them up), to every route the server registered: bad methods, versions, paths,
 * percent-encodings, queries, headers, framing, method overrides, and broken bodies, with and
 * without a valid admin token or device signature. Not one may be answered 500/502/503/504, every
 * error body must be the project's JSON, no body and no server log line may hold a stack trace, and
 * the database must be exactly as before apart from the audit rows of denied requests.
 */
class HostileRequestTest {
    private static final long SEED = 0x5eed_c457L;
    /** POST/PUT routes whose handler reads a JSON body: body defects are sent to them with valid credentials. */
    private static final Set<String> BODY_ROUTES = Set.of("/api/v1/registration-keys", "/api/v1/users",
            "/api/v1/users/{id}/tokens", "/api/v1/user-groups", "/api/v1/device-groups", "/api/v1/device-groups/{id}",
            "/api/v1/user-groups/{id}/members", "/api/v1/device-groups/{id}/members", "/api/v1/rules", "/api/v1/channels",
            "/api/v1/sessions",
            "/api/v1/policies/{name}");

    @TempDir
    static Path dataDir;
    static TestServer server;
    static TestAgent agent;
    static RawHttps raw;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dataDir);
        agent = new TestAgent(server).registered();
        agent.checkIn("root");
        raw = RawHttps.to(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** One generated request and what it was meant to break. */
    record Attack(String what, Route route, byte[] bytes) {}

    @Test
    void malformedRequestsToEveryRouteGetJsonRefusalsAndChangeNothing() throws Exception {
        List<Attack> attacks = generate(new Random(SEED));
        assertThat(attacks).hasSizeGreaterThanOrEqualTo(1000);
        assertThat(attacks.stream().map(Attack::route).distinct()).containsAll(server.server.routes());

        Map<String, List<String>> before = withoutDeniedAuditRows(DbSnapshot.take(dataDir));
        PrintStream originalErr = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(new TeeStream(originalErr, log), true, StandardCharsets.UTF_8));
        List<String> problems = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        try {
            for (Attack attack : attacks) {
                RawHttps.Answer answer = raw.send(attack.bytes());
                statuses.merge(answer.status(), 1, Integer::sum);
                String problem = problem(answer, attack.route());
                if (problem != null) {
                    String said = answer.toString();
                    problems.add(attack.what() + " " + attack.route() + ": " + problem + " -> "
                            + said.substring(0, Math.min(300, said.length())));
                }
            }
        } finally {
            System.setErr(originalErr);
        }
        System.out.println("HostileRequestTest: " + attacks.size() + " requests, statuses " + statuses
                + ", handshakes made again " + raw.connectionsMadeAgain());
        assertThat(problems).as("seed %x", SEED).isEmpty();
        // A handshake that fails before the request is sent is made again (RawHttps); on this
        // machine about one in a few thousand did, from 2026-12-08 on. More would be a finding.
        assertThat(raw.connectionsMadeAgain()).as("handshakes made again").isLessThanOrEqualTo(attacks.size() / 100);
        assertThat(log.toString(StandardCharsets.UTF_8)).as("server log").doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(withoutDeniedAuditRows(DbSnapshot.take(dataDir))).isEqualTo(before);
    }

    private static String problem(RawHttps.Answer answer, Route route) {
        if (answer.closedWithoutAnswer()) {
            return null; // bytes that are not HTTP may get a closed connection
        }
        int status = answer.status();
        if (status >= 500 && status != 501 && status != 505) {
            return "server error";
        }
        if (status < 400) {
            return "accepted a malformed request";
        }
        String type = answer.header("Content-Type");
        String body = answer.bodyText();
        if (route.guard().startsWith("console") && type != null && type.startsWith("text/html")) {
            // The web console refuses with its HTML error page (a browser shows it), never JSON.
            return body.contains("role=\"alert\"") ? null : "not the console's error page";
        }
        if (type == null || !type.startsWith("application/json") || !body.startsWith("{\"error\":\"")
                || !body.contains("\"message\":")) {
            return "not the JSON error body";
        }
        if (body.contains("\tat ") || body.contains("Exception") || body.contains("org.eclipse") || body.contains("<")) {
            return "leaks internals";
        }
        if (!"nosniff".equals(answer.header("X-Content-Type-Options"))) {
            return "no nosniff header";
        }
        return null;
    }

    /** Denied requests may be audited (that is the point of auditing them); nothing else may change. */
    private static Map<String, List<String>> withoutDeniedAuditRows(Map<String, List<String>> tables) {
        Map<String, List<String>> out = new TreeMap<>(tables);
        out.put("audit_log", tables.get("audit_log").stream().filter(row -> !row.contains(";outcome=denied;")).toList());
        if (tables.containsKey("sqlite_sequence")) { // SQLite's id counters: the audit log's moves with each row
            out.put("sqlite_sequence", tables.get("sqlite_sequence").stream()
                    .filter(row -> !row.startsWith("name=audit_log;")).toList());
        }
        out.remove("audit_chain_head"); // the chain head row (PostgreSQL) moves with each audit row too
        return out;
    }

    // --- generation ---------------------------------------------------------------------------

    /**
     * Per route: {@value #MUTATIONS_PER_ROUTE} request-level defects drawn from the list (each with a
     * valid admin token or none), and for POST/PUT routes {@value #BODIES_PER_ROUTE} body defects
     * (with valid credentials where the handler reads the body, else a wrong token; agent routes are
     * signed by the registered device). Every defect appears on many routes.
     */
    private static List<Attack> generate(Random random) {
        List<Attack> attacks = new ArrayList<>();
        String admin = "Authorization: Bearer " + server.adminToken;
        for (Route route : server.server.routes()) {
            String method = route.method().toUpperCase();
            String path = concrete(route.path());
            List<Map.Entry<String, Function<Request, Request>>> mutations = new ArrayList<>(requestMutations(random).entrySet());
            java.util.Collections.shuffle(mutations, random);
            for (Map.Entry<String, Function<Request, Request>> mutation : mutations.subList(0, MUTATIONS_PER_ROUTE)) {
                String auth = random.nextInt(3) == 0 ? null : admin;
                Request base = new Request(method, path, "", "HTTP/1.1", headers(auth), new byte[0]);
                attacks.add(new Attack(mutation.getKey() + (auth == null ? " (anonymous)" : ""), route,
                        mutation.getValue().apply(base).bytes()));
            }
            if (method.equals("POST") || method.equals("PUT")) {
                boolean readsBody = BODY_ROUTES.contains(route.path());
                boolean agentRoute = route.path().startsWith(AgentPaths.PREFIX);
                List<Map.Entry<String, byte[]>> bodies = new ArrayList<>(bodyMutations(random).entrySet());
                java.util.Collections.shuffle(bodies, random);
                for (Map.Entry<String, byte[]> body : bodies.subList(0, BODIES_PER_ROUTE)) {
                    boolean typed = random.nextInt(4) != 0;
                    List<String> headers = headers(readsBody ? admin : "Authorization: Bearer cat_" + "0".repeat(43));
                    if (typed) {
                        headers.add("Content-Type: application/json");
                    }
                    Request request = new Request(method, path, "", "HTTP/1.1", headers, body.getValue());
                    if (agentRoute && typed) {
                        request = signed(request);
                    }
                    attacks.add(new Attack("body " + body.getKey() + (typed ? "" : " (no type)"), route, request.bytes()));
                }
            }
        }
        return attacks;
    }

    private static final int MUTATIONS_PER_ROUTE = 16;
    private static final int BODIES_PER_ROUTE = 12;

    private static String concrete(String template) {
        return template.replace("{id}", template.startsWith("/api/v1/devices/") ? agent.deviceId : UUID.randomUUID().toString())
                .replace("{name}", "default")
                .replace("{rotationId}", UUID.randomUUID().toString());
    }

    private static List<String> headers(String auth) {
        List<String> headers = new ArrayList<>();
        headers.add("Host: 127.0.0.1");
        if (auth != null) {
            headers.add(auth);
        }
        headers.add("Connection: close");
        return headers;
    }

    /** Signs as the registered test device, so the defect, not the signature, is what gets refused. */
    private static Request signed(Request request) {
        SignedHeaders signature = new RequestSigner(agent.key, Clock.systemUTC(), new SecureRandom())
                .sign(request.method(), request.path() + (request.query().isEmpty() ? "" : "?" + request.query()),
                        request.path().equals(AgentPaths.REGISTER) ? null : agent.deviceId, request.body());
        List<String> headers = new ArrayList<>(request.headers());
        signature.asMap().forEach((name, value) -> headers.add(name + ": " + value));
        return request.withHeaders(headers);
    }

    /** A request as parts, so a mutation can break exactly one of them. */
    record Request(String method, String path, String query, String version, List<String> headers, byte[] body) {
        Request withMethod(String m) {
            return new Request(m, path, query, version, headers, body);
        }

        Request withPath(String p) {
            return new Request(method, p, query, version, headers, body);
        }

        Request withQuery(String q) {
            return new Request(method, path, q, version, headers, body);
        }

        Request withVersion(String v) {
            return new Request(method, path, query, v, headers, body);
        }

        Request withHeaders(List<String> h) {
            return new Request(method, path, query, version, h, body);
        }

        Request plusHeader(String header) {
            List<String> h = new ArrayList<>(headers);
            h.add(1, header);
            return withHeaders(h);
        }

        byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            String target = path + (query.isEmpty() ? "" : "?" + query);
            out.writeBytes((method + " " + target + (version.isEmpty() ? "" : " " + version) + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            boolean framed = false;
            for (String header : headers) {
                out.writeBytes((header + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                String lower = header.toLowerCase();
                framed |= lower.startsWith("content-length:") || lower.startsWith("transfer-encoding:");
            }
            if (!framed && body.length > 0) {
                out.writeBytes(("Content-Length: " + body.length + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(body);
            return out.toByteArray();
        }
    }

    private static Map<String, Function<Request, Request>> requestMutations(Random random) {
        Map<String, Function<Request, Request>> m = new LinkedHashMap<>();
        m.put("lowercase method", r -> r.withMethod(r.method().toLowerCase()));
        m.put("mixed-case method", r -> r.withMethod(r.method().charAt(0) + r.method().substring(1).toLowerCase()));
        m.put("unknown method", r -> r.withMethod(List.of("FOO", "PROPFIND", "GETS", "BREW", "M-SEARCH").get(random.nextInt(5))));
        m.put("TRACE", r -> r.withMethod("TRACE"));
        m.put("control byte in method", r -> r.withMethod("G\u0001T"));
        m.put("unknown version", r -> r.withVersion(List.of("HTTP/9.9", "HTTP/1.2", "HTTP/3").get(random.nextInt(3))));
        m.put("HTTP/2.0 over HTTP/1", r -> r.withVersion("HTTP/2.0"));
        m.put("garbage version", r -> r.withVersion(List.of("HTTX/1.1", "HTTP/1.1x", "HTTP/", "HTTP/1.", "1.1")
                .get(random.nextInt(5))));
        m.put("NUL in path", r -> r.withPath(r.path() + "%00"));
        m.put("bad percent in path", r -> r.withPath(r.path() + List.of("%zz", "%", "%4", "%G0").get(random.nextInt(4))));
        m.put("overlong UTF-8 in path", r -> r.withPath(r.path() + List.of("%C0%AF", "%C0%80", "%E0%80%AF").get(random.nextInt(3))));
        m.put("surrogate in path", r -> r.withPath(r.path() + "%ED%A0%80"));
        m.put("above U+10FFFF in path", r -> r.withPath(r.path() + "%F4%90%80%80"));
        m.put("raw 8-bit byte in path", r -> r.withPath(r.path() + (char) (0x80 + random.nextInt(0x80))));
        m.put("ambiguous path", r -> r.withPath(r.path() + List.of("/..;/x", "/%2e%2e;/x", "/.;/x").get(random.nextInt(3))));
        m.put("bad percent in query", r -> r.withQuery(List.of("reason=%zz", "hostname=%", "reason=%4", "limit=%G1")
                .get(random.nextInt(4))));
        m.put("invalid UTF-8 in query", r -> r.withQuery(List.of("reason=%C0%80", "reason=%ED%B0%80", "hostname=%FF",
                "reason=%F4%90%80%80").get(random.nextInt(4))));
        m.put("method-override header", r -> r.plusHeader(List.of("X-HTTP-Method-Override: DELETE",
                "X-HTTP-Method: PUT", "X-Method-Override: POST").get(random.nextInt(3))));
        m.put("method-override parameter", r -> r.withQuery(List.of("_method=DELETE", "_HttpMethod=PUT", "%5Fmethod=POST")
                .get(random.nextInt(3))));
        m.put("oversized header", r -> r.plusHeader("X-Filler: " + "a".repeat(9000 + random.nextInt(20_000))));
        m.put("oversized URI", r -> r.withQuery("q=" + "b".repeat(9000 + random.nextInt(20_000))));
        m.put("space in header name", r -> r.plusHeader("Bad Header: x"));
        m.put("control byte in header", r -> r.plusHeader("X-Thing: a\u0000b"));
        m.put("obsolete line folding", r -> r.plusHeader("X-Folded: a\r\n  b"));
        m.put("Content-Length and Transfer-Encoding", r -> r.plusHeader("Content-Length: 3").plusHeader("Transfer-Encoding: chunked"));
        m.put("non-numeric Content-Length", r -> r.plusHeader("Content-Length: " + List.of("abc", "-1", "1e3", "0x10")
                .get(random.nextInt(4))));
        m.put("two Content-Lengths", r -> r.plusHeader("Content-Length: 0").plusHeader("Content-Length: 5"));
        m.put("two Hosts", r -> r.plusHeader("Host: evil.example"));
        m.put("no Host", r -> r.withHeaders(r.headers().stream().filter(h -> !h.startsWith("Host:")).toList()));
        m.put("malformed Content-Type", r -> r.plusHeader("Content-Type: " + List.of("application/json;;", "json",
                "application/json; charset", "application/json garbage", "/").get(random.nextInt(5))));
        m.put("two Content-Types", r -> r.plusHeader("Content-Type: application/json").plusHeader("Content-Type: text/plain"));
        m.put("absolute URI for another host", r -> r.withPath("https://evil.example" + r.path()));
        m.put("no request target", r -> r.withPath(""));
        return m;
    }

    private static Map<String, byte[]> bodyMutations(Random random) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        String name = "\"name\":\"n" + random.nextInt(1000) + "\"";
        m.put("byte-order mark", concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, ("{" + name + "}").getBytes()));
        m.put("UTF-16 with BOM", ("\ufeff{" + name + "}").getBytes(StandardCharsets.UTF_16LE));
        m.put("overlong UTF-8", concat("{\"name\":\"".getBytes(), new byte[] {(byte) 0xc0, (byte) 0xaf}, "\"}".getBytes()));
        m.put("surrogate as UTF-8", concat("{\"name\":\"".getBytes(), new byte[] {(byte) 0xed, (byte) 0xb0, (byte) 0x80}, "\"}".getBytes()));
        m.put("above U+10FFFF", concat("{\"name\":\"".getBytes(), new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, "\"}".getBytes()));
        m.put("random bytes", randomBytes(random, 1 + random.nextInt(200)));
        m.put("lone surrogate escape", "{\"name\":\"\\ud800\"}".getBytes());
        m.put("lone surrogate in a key", "{\"\\udc00\":1}".getBytes());
        m.put("truncated JSON", ("{" + name).getBytes());
        m.put("trailing garbage", ("{" + name + "} x").getBytes());
        m.put("two values", ("{" + name + "}{}").getBytes());
        m.put("duplicate key", ("{" + name + "," + name + "}").getBytes());
        m.put("unknown field", ("{" + name + ",\"zzUnknown\":1}").getBytes());
        m.put("wrong type", "{\"name\":[1,2,3]}".getBytes());
        m.put("deep nesting", ("[".repeat(2000) + "]".repeat(2000)).getBytes());
        m.put("huge number", ("{\"maxUses\":1" + "0".repeat(5000) + "}").getBytes());
        m.put("NaN", "{\"maxUses\":NaN}".getBytes());
        m.put("comment", ("{/* c */" + name + "}").getBytes());
        m.put("single quotes", "{'name':'x'}".getBytes());
        m.put("null", "null".getBytes());
        m.put("empty", new byte[0]);
        m.put("control character in string", ("{\"name\":\"a\u0001b\"}").getBytes());
        m.put("over 64 KiB", ("{\"name\":\"" + "c".repeat(70_000) + "\"}").getBytes());
        return m;
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Copies the server's log output to the console and into a buffer the test reads. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public synchronized void write(byte[] bytes, int off, int len) throws java.io.IOException {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }
    }
}
