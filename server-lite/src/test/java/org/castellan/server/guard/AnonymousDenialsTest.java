package org.castellan.server.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import okhttp3.Request;
import org.castellan.server.notify.DispatcherSettings;
import org.castellan.server.ratelimit.RateLimitSettings;
import org.castellan.server.ratelimit.RateWindow;
import org.castellan.server.testing.AdminApi;
import org.castellan.server.testing.DbSnapshot;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestClock;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8 item 5: requests to secret endpoints without a valid token cannot grow the audit log
 * without bound. They are coalesced per client address (behind a trusted proxy: the forwarded
 * address) and window into rows whose counts add up to the requests, and limited per address
 * (429); an authenticated principal's refusals keep one row each.
 */
class AnonymousDenialsTest {
    @TempDir
    Path dataDir;

    private record Row(String action, String client, String device, long count) {}

    private List<Row> anonymousDenials() throws Exception {
        List<Row> rows = new ArrayList<>();
        try (Connection c = DbSnapshot.open(dataDir); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT action, client_address, device_id, detail FROM audit_log"
                     + " WHERE principal = 'anonymous' AND outcome = 'denied'")) {
            while (rs.next()) {
                String detail = rs.getString(4);
                assertThat(detail).matches("count \\d+.*");
                rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3),
                        Long.parseLong(detail.replaceFirst("^count (\\d+).*", "$1"))));
            }
        }
        return rows;
    }

    @Test
    void aThousandRequestsWithoutAValidTokenBecomeAFewRowsWhoseCountsSumToAThousand() throws Exception {
        TestClock clock = TestClock.now();
        RateLimitSettings limits = new RateLimitSettings(List.of(RateWindow.perMinute(100_000)), 5,
                Duration.ofMinutes(15), Duration.ofMinutes(15), List.of(RateWindow.perMinute(120)),
                List.of("127.0.0.1/32"));
        try (TestServer server = TestServer.start(dataDir, limits, clock, DispatcherSettings.defaults())) {
            TestAgent agent = new TestAgent(server);
            agent.clock = clock;
            agent.registered();
            String[] paths = {"/api/v1/devices/" + agent.deviceId + "/password",
                    "/api/v1/devices/" + agent.deviceId + "/password/history",
                    "/api/v1/devices/" + UUID.randomUUID() + "/recovery-keys"};
            String[] clients = {"203.0.113.7", "203.0.113.8", null}; // forwarded by the trusted proxy, or the proxy itself
            Map<Integer, Integer> statuses = new HashMap<>();
            for (int i = 0; i < 1000; i++) {
                if (i == 500) {
                    clock.advance(Duration.ofMinutes(2)); // a second window
                }
                Request.Builder request = new Request.Builder().url(server.url(paths[i % 3])).get();
                if (i % 2 == 0) {
                    request.header("Authorization", "Bearer cat_forged" + i);
                }
                String client = clients[(i / 3) % 3];
                if (client != null) {
                    request.header("X-Forwarded-For", client);
                }
                TestServer.Reply reply = server.call(request.build());
                statuses.merge(reply.status(), 1, Integer::sum);
                assertThat(reply.status()).isIn(401, 429);
                assertThat(reply.error()).isIn("unauthorized", "rate-limited");
                if (reply.status() == 429) {
                    assertThat(reply.header("Retry-After")).isNotBlank();
                }
            }
            // The first refusal of each address, action and window is on record at once, and the first
            // window's count when the second began: 9 keys x (first, count, first of the second window).
            assertThat(anonymousDenials()).hasSize(3 * 3 * 3);
            server.server.flushAnonymousDenials();

            List<Row> rows = anonymousDenials();
            assertThat(rows.stream().mapToLong(Row::count).sum()).isEqualTo(1000);
            // At most two rows per address, action and window: 3 addresses x 3 actions x 2 windows x 2.
            assertThat(rows.size()).isLessThanOrEqualTo(36);
            assertThat(rows).extracting(Row::client).containsOnly("203.0.113.7", "203.0.113.8", "127.0.0.1");
            assertThat(rows).extracting(Row::action).containsOnly("password.reveal", "password.history",
                    "recovery-key.reveal");
            // 60 a minute per address are answered 401; the rest of each window 429.
            assertThat(statuses.get(401)).isEqualTo(2 * 3 * 60);
            assertThat(statuses.get(429)).isEqualTo(1000 - 2 * 3 * 60);
        }
    }

    @Test
    void everyRefusalOfAnAuthenticatedPrincipalKeepsItsOwnRow() throws Exception {
        try (TestServer server = TestServer.start(dataDir)) {
            TestAgent agent = new TestAgent(server).registered();
            AdminApi admin = new AdminApi(server);
            String user = admin.user("nobody-" + UUID.randomUUID().toString().substring(0, 8), null);
            String token = admin.token(user);
            for (int i = 0; i < 25; i++) {
                assertThat(server.getWithToken("/api/v1/devices/" + agent.deviceId + "/password", token).status())
                        .isEqualTo(403);
            }
            server.server.flushAnonymousDenials();
            assertThat(DbSnapshot.count(dataDir, "SELECT COUNT(*) FROM audit_log WHERE principal = 'user:" + user
                    + "' AND outcome = 'denied' AND action = 'password.reveal'")).isEqualTo(25);
            assertThat(anonymousDenials()).isEmpty();
        }
    }

    @Test
    void countsNotYetWrittenAreWrittenAtStop() throws Exception {
        String token;
        try (TestServer server = TestServer.start(dataDir)) {
            token = server.adminToken;
            for (int i = 0; i < 7; i++) {
                server.getWithToken("/api/v1/devices/" + UUID.randomUUID() + "/password", null);
            }
            assertThat(anonymousDenials()).hasSize(1);
        }
        assertThat(anonymousDenials().stream().mapToLong(Row::count).sum()).isEqualTo(7);
        assertThat(token).isNotNull();
    }

    @Test
    void hammeringALoginLockOrTheRegistrationLimitAddsAFewCountedRowsNotOnePerRequest() throws Exception {
        RateLimitSettings limits = new RateLimitSettings(List.of(RateWindow.perMinute(100_000)), 5,
                Duration.ofMinutes(15), Duration.ofMinutes(15), List.of(RateWindow.perMinute(3)), List.of());
        try (TestServer server = TestServer.start(dataDir, limits, java.time.Clock.systemUTC(),
                DispatcherSettings.defaults())) {
            String user = new AdminApi(server).user("locked-" + UUID.randomUUID().toString().substring(0, 8),
                    "Right-password-123");
            for (int i = 0; i < 200; i++) {
                TestServer.Reply login = server.sendWithToken("POST", "/api/v1/sessions",
                        Map.of("name", "mallory", "password", "guess-" + i), null);
                assertThat(login.status()).isIn(401, 429);
            }
            String key = TestAgent.newRegistrationKey(server);
            int refused = 0;
            for (int i = 0; i < 50; i++) {
                TestServer.Reply registration = new TestAgent(server).register(key);
                assertThat(registration.status()).isIn(201, 429);
                refused += registration.status() == 429 ? 1 : 0;
            }
            assertThat(refused).isEqualTo(47);
            server.server.flushAnonymousDenials();
            assertThat(DbSnapshot.count(dataDir, "SELECT COUNT(*) FROM audit_log WHERE action = 'session.create'"
                    + " AND outcome = 'denied'")).isEqualTo(5);
            assertRefusals("session.create", 195);
            assertRefusals("device.register", 47);
            assertThat(user).isNotNull();
        }
    }

    private void assertRefusals(String action, long expected) throws Exception {
        List<Long> counts = new ArrayList<>();
        try (Connection c = DbSnapshot.open(dataDir); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT detail FROM audit_log WHERE principal = 'anonymous'"
                     + " AND outcome = 'refused' AND action = '" + action + "'")) {
            while (rs.next()) {
                counts.add(Long.parseLong(rs.getString(1).replaceFirst("^count (\\d+).*", "$1")));
            }
        }
        assertThat(counts).as(action).hasSizeLessThanOrEqualTo(2);
        assertThat(counts.stream().mapToLong(Long::longValue).sum()).as(action).isEqualTo(expected);
    }
}
