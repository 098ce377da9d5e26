package org.castellan.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.castellan.server.testing.AdminApi;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/v1/devices?similar=NAME}: "did you mean" for a mistyped host name, among every
 * device the caller may see (not one page), never a device outside the caller's rules.
 */
class SimilarHostnamesTest {
    @TempDir
    static Path dataDir;
    static TestServer server;
    static AdminApi admin;
    static TestAgent web;
    static TestAgent db;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dataDir);
        admin = new AdminApi(server);
        web = named("web-0042");
        db = named("db-0042");
        named("web-0099");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static TestAgent named(String hostname) throws Exception {
        TestAgent agent = new TestAgent(server);
        agent.hostname = hostname;
        return agent.registered();
    }

    private static List<String> hostnames(JsonNode devices) {
        List<String> out = new ArrayList<>();
        devices.forEach(d -> out.add(d.get("hostname").asText()));
        return out;
    }

    @Test
    void anAdminGetsTheNamesOneOrTwoEditsAwayNearestFirst() throws Exception {
        TestServer.Reply reply = server.get("/api/v1/devices?similar=web-042");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(hostnames(reply.json())).containsExactly("web-0042");
        assertThat(hostnames(server.get("/api/v1/devices?similar=WEB-0024").json())).as("swapped, another case")
                .startsWith("web-0042");
        assertThat(hostnames(server.get("/api/v1/devices?similar=zzz-9999").json())).isEmpty();
    }

    @Test
    void aUserIsOfferedOnlyDevicesItsRulesLetItSee() throws Exception {
        String user = admin.user("sim-user", null);
        admin.rule(Map.of("principals", List.of("user:" + user), "targets", List.of("device:" + web.deviceId),
                "permissions", List.of("password.read")));
        String token = admin.token(user);

        assertThat(hostnames(server.getWithToken("/api/v1/devices?similar=web-042", token).json())).containsExactly("web-0042");
        assertThat(hostnames(server.getWithToken("/api/v1/devices?similar=db-042", token).json()))
                .as("db-0042 exists but is not the user's").isEmpty();
    }

    @Test
    void similarCannotBeCombinedWithAHostNameOrACursor() throws Exception {
        TestServer.Reply both = server.get("/api/v1/devices?similar=web-042&hostname=web-0042");
        assertThat(both.status()).isEqualTo(400);
        assertThat(both.error()).isEqualTo("invalid-similar");
        assertThat(server.get("/api/v1/devices?similar=bad%20name").status()).isEqualTo(400);
    }
}
