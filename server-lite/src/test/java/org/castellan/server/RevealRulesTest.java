package org.castellan.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.castellan.server.notify.DispatcherSettings;
import org.castellan.server.ratelimit.RateLimitSettings;
import org.castellan.server.testing.AdminApi;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestClock;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-rule reveal options (rotate after read, required reason) and the reveal rate limit, over HTTPS. */
class RevealRulesTest {
    @TempDir
    static Path dataDir;
    static TestClock clock = TestClock.now();
    static TestServer server;
    static AdminApi admin;

    @BeforeAll
    static void start() throws Exception {
        clock = TestClock.now(); // fresh for each class that runs these tests (on either backend)
        // The default limits: 10/minute, 50/hour, 100/day per principal.
        server = TestServer.start(dataDir, RateLimitSettings.defaults(), clock, DispatcherSettings.defaults());
        admin = new AdminApi(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static TestAgent agent() throws Exception {
        TestAgent agent = new TestAgent(server).registered();
        agent.clock = clock;
        return agent;
    }

    private static String userWithRule(String deviceId, Map<String, Object> options) throws Exception {
        String user = admin.user("u-" + UUID.randomUUID().toString().substring(0, 8), null);
        Map<String, Object> rule = new java.util.LinkedHashMap<>(options);
        rule.put("principals", List.of("user:" + user));
        rule.put("targets", List.of("device:" + deviceId));
        rule.putIfAbsent("permissions", List.of("password.read"));
        admin.rule(rule);
        return admin.token(user);
    }

    @Test
    void aLookUpByNameThatFindsNothingVisibleIsAuditedAsDeniedAndBoundedLikeReveals() throws Exception {
        TestAgent mine = agent();
        TestAgent hidden = agent();
        String token = userWithRule(mine.deviceId, Map.of());

        TestServer.Reply lookup = server.getWithToken("/api/v1/devices?hostname=" + hidden.hostname, token);
        assertThat(lookup.status()).isEqualTo(200);
        assertThat(lookup.json()).as("nothing visible: the answer says nothing of the device").isEmpty();
        assertThat(admin.audit("device=" + hidden.deviceId + "&action=device.lookup&outcome=denied"))
                .as("the attempt is evidence, naming the device it was after").singleElement()
                .satisfies(row -> assertThat(row.get("detail").asText()).contains(hidden.hostname).contains("not visible"));

        server.getWithToken("/api/v1/devices?hostname=no-such-host", token);
        assertThat(admin.audit("action=device.lookup&outcome=denied")).anySatisfy(row ->
                assertThat(row.get("detail").asText()).isEqualTo("hostname no-such-host: no such device"));
        // A visible device and an admin's look-up are not denials.
        assertThat(server.getWithToken("/api/v1/devices?hostname=" + mine.hostname, token).json()).hasSize(1);
        server.get("/api/v1/devices?hostname=no-such-host-either");
        assertThat(admin.audit("action=device.lookup")).hasSize(2);

        // Bounded like reveals (10 a minute by default): past the bound, 429, still on record.
        int status = 200;
        for (int i = 0; i < 10 && status == 200; i++) {
            status = server.getWithToken("/api/v1/devices?hostname=probe-" + i, token).status();
        }
        assertThat(status).isEqualTo(429);
        assertThat(admin.audit("action=device.lookup&outcome=denied")).anySatisfy(row ->
                assertThat(row.get("detail").asText()).startsWith("rate-limited; "));
    }

    @Test
    void revealUnderRotateAfterReadRuleExpiresThePasswordAndTheAgentRotatesAfterTheDelay() throws Exception {
        TestAgent agent = agent();
        String first = AdminApi.escrowAndCommit(agent, "root", "First-password-1");
        String token = userWithRule(agent.deviceId, Map.of("rotateAfterReadMinutes", 60));
        Instant revealedAt = clock.instant();

        TestServer.Reply reveal = server.getWithToken("/api/v1/devices/" + agent.deviceId + "/password", token);
        assertThat(reveal.status()).as(reveal.body()).isEqualTo(200);
        assertThat(reveal.json().get("password").asText()).isEqualTo("First-password-1");
        assertThat(Instant.parse(reveal.json().get("expiresAt").asText())).isEqualTo(revealedAt.plus(Duration.ofMinutes(60)));

        clock.advance(Duration.ofMinutes(59));
        JsonNode early = agent.checkIn("root").json();
        assertThat(early.get("rotate").asBoolean()).isFalse();

        clock.advance(Duration.ofMinutes(2));
        JsonNode late = agent.checkIn("root").json();
        assertThat(late.get("rotate").asBoolean()).isTrue();
        assertThat(late.get("rotateReason").asText()).isEqualTo("expired");

        String second = AdminApi.escrowAndCommit(agent, "root", "Second-password-2");
        JsonNode history = server.get("/api/v1/devices/" + agent.deviceId + "/password/history").json();
        assertThat(history).hasSize(2);
        assertThat(history.get(0).get("rotationId").asText()).isEqualTo(second);
        assertThat(history.get(1).get("rotationId").asText()).isEqualTo(first);
        assertThat(history.get(1).get("state").asText()).isEqualTo("superseded");
        assertThat(history.get(1).get("password").asText()).isEqualTo("First-password-1");
        assertThat(agent.checkIn("root").json().get("rotate").asBoolean()).isFalse();
    }

    @Test
    void ruleRequiringAReasonRefusesARevealWithoutOneAndAuditsIt() throws Exception {
        TestAgent agent = agent();
        AdminApi.escrowAndCommit(agent, "root", "Reason-password-1");
        String token = userWithRule(agent.deviceId, Map.of("requireReason", true));
        String path = "/api/v1/devices/" + agent.deviceId + "/password";

        TestServer.Reply without = server.getWithToken(path, token);
        assertThat(without.status()).isEqualTo(400);
        assertThat(without.error()).isEqualTo("reason-required");
        assertThat(without.json().get("message").asText()).as("names the CLI's flag").contains("--reason TEXT");
        assertThat(admin.audit("device=" + agent.deviceId + "&action=password.reveal&outcome=denied"))
                .singleElement().satisfies(row -> assertThat(row.get("detail").asText()).isEqualTo("reason-required"));

        TestServer.Reply with = server.getWithToken(path + "?reason=ticket%2042", token);
        assertThat(with.status()).isEqualTo(200);
        assertThat(admin.audit("device=" + agent.deviceId + "&action=password.reveal&outcome=granted"))
                .singleElement().satisfies(row -> assertThat(row.get("reason").asText()).isEqualTo("ticket 42"));
    }

    @Test
    void aReasonOfOnlyWhitespaceDoesNotSatisfyARuleRequiringOne() throws Exception {
        TestAgent agent = agent();
        AdminApi.escrowAndCommit(agent, "root", "Blank-reason-1");
        String token = userWithRule(agent.deviceId, Map.of("requireReason", true));
        String path = "/api/v1/devices/" + agent.deviceId + "/password?reason=";
        // Spaces, a tab-free mix of Unicode spaces (no-break, em, ideographic): none is a reason.
        for (String blank : List.of("%20", "%20%20%20", "%C2%A0", "%E2%80%83%20", "%E3%80%80")) {
            TestServer.Reply reply = server.getWithToken(path + blank, token);
            assertThat(reply.status()).as(blank + ": " + reply.body()).isEqualTo(400);
            assertThat(reply.error()).as(blank).isEqualTo("reason-required");
            assertThat(reply.body()).doesNotContain("Blank-reason-1");
        }
        assertThat(admin.audit("device=" + agent.deviceId + "&action=password.reveal&outcome=granted")).isEmpty();
        assertThat(admin.audit("device=" + agent.deviceId + "&action=password.reveal&outcome=denied")).hasSize(5)
                .allSatisfy(row -> assertThat(row.get("reason").isNull()).isTrue());
        TestServer.Reply padded = server.getWithToken(path + "%20ticket%2043%20", token);
        assertThat(padded.status()).isEqualTo(200);
        assertThat(admin.audit("device=" + agent.deviceId + "&action=password.reveal&outcome=granted"))
                .singleElement().satisfies(row -> assertThat(row.get("reason").asText()).isEqualTo("ticket 43"));
    }

    @Test
    void eleventhRevealWithinAMinuteIsRateLimitedWithRetryAfterAndAudited() throws Exception {
        TestAgent agent = agent();
        AdminApi.escrowAndCommit(agent, "root", "Limited-password-1");
        String token = userWithRule(agent.deviceId, Map.of());
        String path = "/api/v1/devices/" + agent.deviceId + "/password";
        for (int i = 0; i < 10; i++) {
            assertThat(server.getWithToken(path, token).status()).isEqualTo(200);
        }
        TestServer.Reply eleventh = server.getWithToken(path, token);
        assertThat(eleventh.status()).isEqualTo(429);
        assertThat(eleventh.error()).isEqualTo("rate-limited");
        assertThat(Long.parseLong(eleventh.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(admin.audit("device=" + agent.deviceId + "&action=password.reveal&outcome=denied"))
                .singleElement().satisfies(row -> assertThat(row.get("detail").asText()).isEqualTo("rate-limited"));

        clock.advance(Duration.ofSeconds(61));
        assertThat(server.getWithToken(path, token).status()).isEqualTo(200);
    }
}
