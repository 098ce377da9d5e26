package org.castellan.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.castellan.protocol.AgentPaths;
import org.castellan.server.testing.DbSnapshot;
import org.castellan.server.testing.RawHttps;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every malformed request gets the project's JSON error body with the status HTTP prescribes,
 * including the ones Jetty refuses before Javalin routes anything (it used to answer those with
 * an HTML page, and a lowercase method with an empty 500), and every response carries the
 * security headers. Bodies must be strict UTF-8 JSON without a byte-order mark, under a
 * well-formed Content-Type.
 */
class MalformedRequestTest {
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
        // A request sent again because its connection closed without a byte (RawHttps.sendForAnswer):
        // one in this class's dozen is what this machine's drops explain; more would be a finding.
        assertThat(raw.connectionsMadeAgain()).as("connections made again").isLessThanOrEqualTo(1);
    }

    private static RawHttps.Answer send(String requestLine, String... headers) throws Exception {
        StringBuilder request = new StringBuilder(requestLine).append("\r\nHost: 127.0.0.1\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        request.append("Connection: close\r\n\r\n");
        return raw.sendForAnswer(request.toString());
    }

    private static void assertJsonError(RawHttps.Answer answer, int status, String code) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).as(answer.toString()).startsWith("application/json");
        assertThat(answer.bodyText()).as(answer.toString()).contains("\"error\":\"" + code + "\"").contains("\"message\":");
        assertThat(answer.bodyText()).doesNotContain("<html").doesNotContain("Exception").doesNotContain("\tat ");
        assertSecurityHeaders(answer.headers());
    }

    private static void assertSecurityHeaders(Map<String, String> headers) {
        assertThat(headers).containsEntry("x-content-type-options", "nosniff")
                .containsEntry("cache-control", "no-store")
                .containsEntry("strict-transport-security", "max-age=31536000");
    }

    @Test
    void unknownAndLowercaseMethodsAnswer501() throws Exception {
        assertJsonError(send("get /api/v1/devices HTTP/1.1"), 501, "method-not-implemented");
        assertJsonError(send("Post /api/v1/registration-keys HTTP/1.1"), 501, "method-not-implemented");
        assertJsonError(send("FOO /api/v1/devices HTTP/1.1"), 501, "method-not-implemented");
        assertJsonError(send("PROPFIND /api/v1/devices HTTP/1.1"), 501, "method-not-implemented");
    }

    @Test
    void traceAndConnectAnswer405() throws Exception {
        assertJsonError(send("TRACE /api/v1/devices HTTP/1.1"), 405, "method-not-allowed");
        assertJsonError(send("CONNECT 127.0.0.1:443 HTTP/1.1"), 405, "method-not-allowed");
        // CONNECT takes host:port, so a path after it is a malformed request line.
        assertJsonError(send("CONNECT /api/v1/devices HTTP/1.1"), 400, "bad-request");
    }

    @Test
    void unsupportedHttpVersionsAnswerJson() throws Exception {
        assertJsonError(send("GET /api/v1/devices HTTP/9.9"), 505, "http-version-not-supported");
        assertJsonError(send("GET /api/v1/devices HTTP/2.0"), 426, "upgrade-required");
    }

    @Test
    void badBytesAndEncodingInThePathAnswer400() throws Exception {
        assertJsonError(send("GET /api/v1/devices%00 HTTP/1.1"), 400, "bad-request");
        assertJsonError(send("GET /api/v1/devices/%zz HTTP/1.1"), 400, "bad-request");
        assertJsonError(send("GET /api/v1/devices/%C0%80 HTTP/1.1"), 400, "bad-request"); // overlong NUL
        assertJsonError(send("GET /api/v1/devices/%ED%A0%80 HTTP/1.1"), 400, "bad-request"); // encoded surrogate
        assertJsonError(send("GET /api/v1/devices/%F4%90%80%80 HTTP/1.1"), 400, "bad-request"); // above U+10FFFF
        assertJsonError(send("GET /api/v1/devices/..;/x HTTP/1.1"), 400, "bad-request");
        assertJsonError(send("GET /api/v1/de\u00e9vices HTTP/1.1"), 400, "bad-request");
        assertJsonError(send("GET * HTTP/1.1"), 400, "bad-request");
        assertJsonError(raw.sendForAnswer("GET\t/api/v1/devices HTTP/1.1\r\nHost: a\r\n\r\n"), 400, "bad-request");
    }

    @Test
    void badQueryStringsAnswer400() throws Exception {
        String auth = "Authorization: Bearer " + server.adminToken;
        assertJsonError(send("GET /api/v1/devices?hostname=%zz HTTP/1.1", auth), 400, "malformed-query");
        assertJsonError(send("GET /api/v1/devices?hostname=%C0%80 HTTP/1.1", auth), 400, "malformed-query");
        assertJsonError(send("GET /api/v1/devices?hostname=%ED%B0%80 HTTP/1.1", auth), 400, "malformed-query");
        assertJsonError(send("GET /api/v1/devices?hostname=% HTTP/1.1", auth), 400, "malformed-query");
        assertJsonError(send("GET /api/v1/devices?hostname=%4 HTTP/1.1", auth), 400, "malformed-query");
        // Well-encoded control characters are left to the parameter's own check, which names it.
        assertJsonError(send("GET /api/v1/devices?hostname=a%00b HTTP/1.1", auth), 400, "invalid-hostname");
        assertJsonError(send("GET /api/v1/devices/" + agent.deviceId + "/password?reason=x%0Ay HTTP/1.1", auth),
                400, "invalid-reason");
        assertJsonError(send("GET /api/v1/devices?hostname=% HTTP/1.1", auth), 400, "malformed-query");
    }

    @Test
    void oversizedHeadersAndUrisAnswerJson() throws Exception {
        assertJsonError(send("GET /api/v1/devices HTTP/1.1", "X-Big: " + "x".repeat(20_000)), 431, "headers-too-large");
        assertJsonError(send("GET /api/v1/devices?" + "a".repeat(20_000) + " HTTP/1.1"), 414, "uri-too-long");
    }

    @Test
    void headerProblemsJettyRefusesAnswerJson() throws Exception {
        assertJsonError(raw.sendForAnswer("GET /api/v1/devices HTTP/1.1\r\nConnection: close\r\n\r\n"), 400, "bad-request");
        assertJsonError(send("GET /api/v1/devices HTTP/1.1", "Host: other"), 400, "bad-request");
        assertJsonError(send("GET /api/v1/devices HTTP/1.1", "Bad Header: x"), 400, "bad-request");
        assertJsonError(send("POST /api/v1/devices HTTP/1.1", "Content-Length: abc"), 400, "bad-request");
        assertJsonError(send("POST /api/v1/devices HTTP/1.1", "Content-Length: 5", "Transfer-Encoding: chunked"),
                400, "bad-request");
        assertJsonError(send("OPTIONS * HTTP/1.1"), 404, "not-found");
    }

    @Test
    void successfulResponsesCarryTheSecurityHeaders() throws Exception {
        TestServer.Reply reply = server.get("/api/v1/devices/" + agent.deviceId);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(reply.header("Cache-Control")).isEqualTo("no-store");
        assertThat(reply.header("Strict-Transport-Security")).isEqualTo("max-age=31536000");
        TestServer.Reply health = server.get("/healthz");
        assertThat(health.header("X-Content-Type-Options")).isEqualTo("nosniff");
        TestServer.Reply refused = server.getWithToken("/api/v1/devices", null);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.header("Cache-Control")).isEqualTo("no-store");
        assertThat(refused.header("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    // --- bodies -------------------------------------------------------------------------------

    private static TestServer.Reply postAdmin(byte[] body, String contentType) throws Exception {
        Request.Builder builder = new Request.Builder().url(server.url("/api/v1/registration-keys"))
                .header("Authorization", "Bearer " + server.adminToken)
                .post(RequestBody.create(body));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        return server.call(builder.build());
    }

    private static byte[] nameBody(byte[] nameBytes) {
        byte[] head = "{\"name\":\"".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "\"}".getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + nameBytes.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(nameBytes, 0, out, head.length, nameBytes.length);
        System.arraycopy(tail, 0, out, head.length + nameBytes.length, tail.length);
        return out;
    }

    private static void refusedAndNothingChanged(TestServer.Reply reply, int status, String code, Map<String, ?> before) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.error()).isEqualTo(code);
        assertThat(DbSnapshot.take(dataDir)).isEqualTo(before);
    }

    @Test
    void invalidUtf8InBodiesIsRefusedNotRepaired() throws Exception {
        var before = DbSnapshot.take(dataDir);
        byte[][] bad = {
            {(byte) 0xc0, (byte) 0x80},                            // overlong NUL
            {(byte) 0xe0, (byte) 0x80, (byte) 0xaf},               // overlong '/'
            {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80},  // above U+10FFFF
            {(byte) 0xed, (byte) 0xa0, (byte) 0x80},               // a surrogate encoded as UTF-8 (CESU-8)
            {(byte) 0xff},                                        // never valid
            {(byte) 0xe2, (byte) 0x82},                            // truncated sequence
        };
        for (byte[] bytes : bad) {
            refusedAndNothingChanged(postAdmin(nameBody(bytes), "application/json"), 400, "invalid-utf8", before);
        }
    }

    @Test
    void loneSurrogateEscapesAreRefused() throws Exception {
        var before = DbSnapshot.take(dataDir);
        for (String escaped : new String[] {"\\ud800", "a\\udc00b", "\\ud800\\ud800", "\\udfff\\ud800"}) {
            refusedAndNothingChanged(postAdmin(nameBody(escaped.getBytes(StandardCharsets.US_ASCII)), "application/json"),
                    400, "invalid-utf8", before);
        }
        // A proper pair is fine for JSON: it is one code point, which then meets the name rules
        // (http.Names: no emoji in a name), not the UTF-8 check.
        TestServer.Reply pair = postAdmin(nameBody("key \\ud83d\\ude00".getBytes(StandardCharsets.US_ASCII)),
                "application/json");
        assertThat(pair.status()).as(pair.body()).isEqualTo(400);
        assertThat(pair.error()).isEqualTo("invalid-name");
    }

    @Test
    void aByteOrderMarkIsRefused() throws Exception {
        var before = DbSnapshot.take(dataDir);
        byte[] json = "{\"name\":\"bom\"}".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[json.length + 3];
        withBom[0] = (byte) 0xef;
        withBom[1] = (byte) 0xbb;
        withBom[2] = (byte) 0xbf;
        System.arraycopy(json, 0, withBom, 3, json.length);
        refusedAndNothingChanged(postAdmin(withBom, "application/json"), 400, "byte-order-mark", before);
        byte[] utf16 = "\ufeff{\"name\":\"bom\"}".getBytes(StandardCharsets.UTF_16BE);
        refusedAndNothingChanged(postAdmin(utf16, "application/json"), 400, "byte-order-mark", before);
        // The agent API reads its bodies the same way.
        TestServer.Reply signed = agent.post(AgentPaths.CHECK_IN, new String(withBom, StandardCharsets.UTF_8));
        assertThat(signed.status()).as(signed.body()).isEqualTo(400);
        assertThat(signed.error()).isEqualTo("byte-order-mark");
    }

    @Test
    void malformedContentTypesAreRefused() throws Exception {
        var before = DbSnapshot.take(dataDir);
        byte[] json = "{\"name\":\"ct\"}".getBytes(StandardCharsets.UTF_8);
        for (String contentType : new String[] {"application/json;;", "application/json; charset", "application/",
                "/json", "application/json; charset=\"utf-8", "application/json garbage", "application json",
                "application/json; charset=utf-8; charset=utf-8", "application/json;=x"}) {
            TestServer.Reply reply = postAdmin(json, contentType);
            assertThat(reply.status()).as(contentType + " " + reply.body()).isEqualTo(400);
            assertThat(reply.error()).as(contentType).isEqualTo("malformed-content-type");
        }
        for (String contentType : new String[] {"application/json; charset=iso-8859-1", "application/json; charset=utf-16",
                "text/json", "application/jsonx"}) {
            TestServer.Reply reply = postAdmin(json, contentType);
            assertThat(reply.status()).as(contentType + " " + reply.body()).isEqualTo(415);
        }
        assertThat(DbSnapshot.take(dataDir)).isEqualTo(before);
        for (String contentType : new String[] {"application/json", "Application/JSON; charset=UTF-8",
                "application/json;charset=\"utf-8\"", "application/json ; charset=utf-8"}) {
            TestServer.Reply reply = postAdmin(json, contentType);
            assertThat(reply.status()).as(contentType + " " + reply.body()).isEqualTo(201);
        }
    }

    @Test
    void twoContentTypeHeadersAreRefused() throws Exception {
        RawHttps.Answer answer = send("POST /api/v1/registration-keys HTTP/1.1", "Authorization: Bearer " + server.adminToken,
                "Content-Type: application/json", "Content-Type: text/plain", "Content-Length: 2");
        // the 2-byte body never comes; the guard answers from the headers alone
        assertJsonError(answer, 400, "malformed-content-type");
    }
}
