package org.castellan.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import okhttp3.Request;
import org.castellan.server.notify.DispatcherSettings;
import org.castellan.server.ratelimit.RateLimitSettings;
import org.castellan.server.ratelimit.RateWindow;
import org.castellan.server.testing.AdminApi;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** X-Forwarded-For is believed only from configured proxies; registrations are limited per address. */
class ClientAddressAndRegistrationLimitTest {
    @TempDir
    Path dataDir;

    private static RateLimitSettings limits(List<String> trustedProxies) {
        RateLimitSettings d = TestServer.GENEROUS;
        return new RateLimitSettings(d.revealWindows(), d.loginMaxFailures(), d.loginWindow(), d.loginLockFor(),
                List.of(RateWindow.perMinute(2)), trustedProxies);
    }

    private static String auditedAddressOfARefusedReveal(TestServer server) throws Exception {
        String device = java.util.UUID.randomUUID().toString();
        server.call(new Request.Builder().url(server.url("/api/v1/devices/" + device + "/password"))
                .header("X-Forwarded-For", "203.0.113.7").get().build());
        return new AdminApi(server).audit("device=" + device).get(0).get("clientAddress").asText();
    }

    @Test
    void forwardedForIsIgnoredUnlessTheSocketPeerIsATrustedProxy() throws Exception {
        try (TestServer server = TestServer.start(dataDir, limits(List.of()), Clock.systemUTC(), DispatcherSettings.defaults())) {
            assertThat(auditedAddressOfARefusedReveal(server)).isEqualTo("127.0.0.1");
        }
        // Restarted on the same data directory with the loopback as a trusted proxy.
        String token = java.nio.file.Files.readString(dataDir.resolve("initial-admin-token")).trim();
        try (TestServer server = TestServer.attach(CastellanServer.start(
                TestServer.config(dataDir, limits(List.of("127.0.0.0/8")))), dataDir, token)) {
            assertThat(auditedAddressOfARefusedReveal(server)).isEqualTo("203.0.113.7");
        }
    }

    /** Agent rows (escrow, commit) take the client address from the same function as every other row. */
    @Test
    void agentAuditRowsHonourTrustedProxiesLikeEveryOtherRow() throws Exception {
        try (TestServer server = TestServer.start(dataDir, limits(List.of("127.0.0.0/8")), Clock.systemUTC(),
                DispatcherSettings.defaults())) {
            TestAgent agent = new TestAgent(server).registered();
            String rotationId = java.util.UUID.randomUUID().toString();
            byte[] escrow = TestAgent.bytes(new org.castellan.protocol.messages.EscrowRequest(rotationId, "root",
                    agent.seal("root", rotationId, "correct horse battery")));
            Request request = agent.signed(org.castellan.protocol.AgentPaths.ROTATIONS, escrow, agent.clock).newBuilder()
                    .header("X-Forwarded-For", "198.51.100.23").build();
            assertThat(server.call(request).status()).isEqualTo(201);
            assertThat(new AdminApi(server).audit("action=rotation.escrow&device=" + agent.deviceId)).singleElement()
                    .satisfies(row -> assertThat(row.get("clientAddress").asText()).isEqualTo("198.51.100.23"));
            assertThat(new AdminApi(server).audit("action=device.register&device=" + agent.deviceId)).singleElement()
                    .satisfies(row -> assertThat(row.get("clientAddress").asText()).isEqualTo("127.0.0.1"));
        }
    }

    @Test
    void thirdRegistrationFromOneAddressWithinTheWindowIsRefusedWith429AndAudited() throws Exception {
        try (TestServer server = TestServer.start(dataDir, limits(List.of()), Clock.systemUTC(), DispatcherSettings.defaults())) {
            String key = TestAgent.newRegistrationKey(server);
            assertThat(new TestAgent(server).register(key).status()).isEqualTo(201);
            assertThat(new TestAgent(server).register(key).status()).isEqualTo(201);
            TestServer.Reply third = new TestAgent(server).register(key);
            assertThat(third.status()).isEqualTo(429);
            assertThat(third.error()).isEqualTo("rate-limited");
            assertThat(third.header("Retry-After")).isNotNull();
            assertThat(new AdminApi(server).audit("action=device.register&outcome=refused")).singleElement()
                    .satisfies(row -> assertThat(row.get("detail").asText()).startsWith("count 1: rate-limited for hostname"));
        }
    }
}
