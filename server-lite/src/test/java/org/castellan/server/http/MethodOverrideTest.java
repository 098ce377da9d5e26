package org.castellan.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.castellan.server.testing.DbSnapshot;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No header or parameter may change the HTTP method of a request. Javalin's router honours
 * {@code X-HTTP-Method-Override}; a {@code POST} carrying {@code X-HTTP-Method-Override: DELETE}
 * used to delete a device. Every override spelling is sent to every registered route, with every
 * method as the override target, and must be refused before anything runs.
 */
class MethodOverrideTest {
    private static final List<String> HEADERS = List.of("X-HTTP-Method-Override", "x-http-method-override",
            "X-HTTP-METHOD-OVERRIDE", "X-HTTP-Method", "X-Method-Override");
    private static final List<String> PARAMETERS = List.of("_method", "_METHOD", "%5Fmethod", "_HttpMethod",
            "X-HTTP-Method-Override", "$method");
    private static final List<String> TARGETS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");
    private static final List<String> SENT = List.of("GET", "POST", "PUT", "DELETE");

    @TempDir
    static Path dataDir;
    static TestServer server;
    static TestAgent agent;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dataDir);
        agent = new TestAgent(server).registered();
        agent.checkIn("root");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void postWithDeleteOverrideDoesNotDeleteTheDevice() throws Exception {
        String path = "/api/v1/devices/" + agent.deviceId;
        TestServer.Reply reply = server.call(new Request.Builder().url(server.url(path))
                .header("Authorization", "Bearer " + server.adminToken)
                .header("X-HTTP-Method-Override", "DELETE")
                .post(RequestBody.create(new byte[0], TestServer.JSON)).build());

        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.error()).isEqualTo("method-override-refused");
        assertThat(server.get(path).status()).isEqualTo(200);
    }

    @Test
    void everyOverrideSpellingIsRefusedOnEveryRouteAndNothingChanges() throws Exception {
        var before = DbSnapshot.take(dataDir);
        List<String> accepted = new ArrayList<>();
        int sent = 0;
        for (RouteTable.Route route : server.server.routes()) {
            String path = route.path().replaceAll("\\{[^}]+}", agent.deviceId);
            for (String method : SENT) {
                for (String target : TARGETS) {
                    for (String header : HEADERS) {
                        sent++;
                        check(accepted, send(method, path, Map.of(header, target)), method + " " + path + " " + header
                                + ": " + target);
                    }
                    for (String parameter : PARAMETERS) {
                        sent++;
                        check(accepted, send(method, path + "?" + parameter + "=" + target + "&reason=x", Map.of()),
                                method + " " + path + "?" + parameter + "=" + target);
                    }
                }
            }
        }

        assertThat(accepted).as("requests whose override was not refused").isEmpty();
        assertThat(sent).isGreaterThan(1_000);
        assertThat(DbSnapshot.take(dataDir)).isEqualTo(before);
        assertThat(server.get("/api/v1/devices/" + agent.deviceId).status()).isEqualTo(200);
    }

    @Test
    void theRealMethodStillWorks() throws Exception {
        TestAgent other = new TestAgent(server).registered();
        assertThat(server.delete("/api/v1/devices/" + other.deviceId).status()).isEqualTo(204);
        assertThat(server.get("/api/v1/devices/" + other.deviceId).json().get("status").asText()).isEqualTo("deleted");
    }

    private static void check(List<String> accepted, TestServer.Reply reply, String what) {
        boolean refused = reply.status() == 400 && reply.contentType() != null
                && reply.contentType().startsWith("application/json") && "method-override-refused".equals(reply.error());
        if (!refused) {
            accepted.add(what + " -> " + reply.status() + " " + reply.body());
        }
    }

    private static TestServer.Reply send(String method, String path, Map<String, String> headers) throws Exception {
        Request.Builder builder = new Request.Builder().url(server.url(path))
                .header("Authorization", "Bearer " + server.adminToken);
        headers.forEach(builder::header);
        if (method.equals("GET")) {
            builder.get();
        } else {
            builder.method(method, RequestBody.create("{}".getBytes(StandardCharsets.UTF_8), TestServer.JSON));
        }
        return server.call(builder.build());
    }
}
