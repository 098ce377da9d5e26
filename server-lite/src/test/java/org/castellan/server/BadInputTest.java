package org.castellan.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.castellan.protocol.AgentPaths;
import org.castellan.protocol.Headers;
import org.castellan.protocol.messages.CheckInRequest;
import org.castellan.protocol.messages.EscrowRequest;
import org.castellan.server.testing.DbSnapshot;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Promise 6: every kind of bad input gets a precise 4xx with a JSON error body that neither
 * leaks a stack trace nor repeats the submitted value, and nothing in the database changes.
 */
class BadInputTest {
    /** A value no error message may repeat. */
    private static final String CANARY = "Canary7731";
    @TempDir
    static java.nio.file.Path dataDir;
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

    private interface Call {
        TestServer.Reply run() throws Exception;
    }

    /** Runs the call and checks the refusal, and that no row of any table changed. */
    private static TestServer.Reply refused(int status, String code, Call call) throws Exception {
        return refusedChanging(status, code, Set.of(), call);
    }

    private static TestServer.Reply refusedChanging(int status, String code, Set<String> mayChange, Call call) throws Exception {
        var before = DbSnapshot.take(dataDir, mayChange);
        TestServer.Reply reply = call.run();
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/json");
        assertThat(reply.error()).isEqualTo(code);
        assertThat(reply.json().get("message").asText()).isNotBlank();
        assertThat(reply.body()).doesNotContain(CANARY).doesNotContain("Exception").doesNotContain("\tat ")
                .doesNotContain("org.castellan");
        assertThat(DbSnapshot.take(dataDir, mayChange)).isEqualTo(before);
        return reply;
    }

    @Test
    void malformedJsonIsRefusedWithItsPosition() throws Exception {
        TestServer.Reply reply = refused(400, "malformed-json", () -> agent.post(AgentPaths.CHECK_IN, "{\"hostname\": " + CANARY));
        assertThat(reply.json().get("message").asText()).contains("line 1 column");
        refused(400, "malformed-json", () -> server.post("/api/v1/registration-keys", "{\"name\":\"" + CANARY + "\""));
        refused(400, "malformed-json", () -> agent.post(AgentPaths.CHECK_IN, ""));
    }

    @Test
    void wrongTypesAreRefusedNamingTheField() throws Exception {
        TestServer.Reply reply = refused(400, "invalid-type", () -> agent.post(AgentPaths.CHECK_IN,
                "{\"hostname\":7731,\"warnings\":[]}"));
        assertThat(reply.json().get("message").asText()).isEqualTo("field 'hostname' must be a string");
        TestServer.Reply maxUses = refused(400, "invalid-type", () -> server.post("/api/v1/registration-keys",
                "{\"name\":\"k\",\"maxUses\":\"" + CANARY + "\"}"));
        assertThat(maxUses.json().get("message").asText()).isEqualTo("field 'maxUses' must be a number");
        refused(400, "invalid-type", () -> server.put("/api/v1/policies/default", "{\"excludeLookalikes\":\"" + CANARY + "\"}"));
        refused(400, "invalid-type", () -> server.post("/api/v1/registration-keys",
                "{\"name\":\"k\",\"expiresAt\":\"" + CANARY + "\"}"));
        refused(400, "invalid-type", () -> agent.post(AgentPaths.CHECK_IN, "[\"" + CANARY + "\"]"));
    }

    @Test
    void unknownFieldsAreRefusedByName() throws Exception {
        TestServer.Reply reply = refused(400, "unknown-field", () -> agent.post(AgentPaths.CHECK_IN,
                "{\"hostname\":\"h\",\"x\":\"" + CANARY + "\"}"));
        assertThat(reply.json().get("message").asText()).isEqualTo("unknown field 'x'");
        refused(400, "unknown-field", () -> server.put("/api/v1/policies/default", "{\"lenght\":20}"));
    }

    @Test
    void bodiesOver64KiBAreRefused() throws Exception {
        String big = "{\"hostname\":\"" + CANARY.repeat(7000) + "\"}";
        refused(413, "body-too-large", () -> agent.post(AgentPaths.CHECK_IN, big));
        refused(413, "body-too-large", () -> server.post("/api/v1/registration-keys", big));
    }

    @Test
    void chunkedBodyOver64KiBIsCutOffWhileReading() throws Exception {
        RequestBody chunked = new RequestBody() {
            @Override
            public okhttp3.MediaType contentType() {
                return TestServer.JSON;
            }

            @Override
            public long contentLength() {
                return -1; // no Content-Length: sent chunked
            }

            @Override
            public void writeTo(okio.BufferedSink sink) throws java.io.IOException {
                sink.writeUtf8("{\"name\":\"");
                for (int i = 0; i < 7000; i++) {
                    sink.writeUtf8(CANARY);
                }
                sink.writeUtf8("\"}");
            }
        };
        refused(413, "body-too-large", () -> server.call(new Request.Builder().url(server.url("/api/v1/registration-keys"))
                .header("Authorization", "Bearer " + server.adminToken).post(chunked).build()));
    }

    @Test
    void nonJsonContentTypeIsRefused() throws Exception {
        refused(415, "unsupported-media-type", () -> server.call(new Request.Builder()
                .url(server.url("/api/v1/registration-keys")).header("Authorization", "Bearer " + server.adminToken)
                .post(RequestBody.create("name=" + CANARY, okhttp3.MediaType.get("application/x-www-form-urlencoded")))
                .build()));
    }

    @Test
    void missingBadStaleAndReplayedSignaturesAreRefused() throws Exception {
        byte[] body = TestAgent.bytes(agent.checkInRequest("root"));
        refused(401, "missing-signature", () -> server.call(new Request.Builder().url(server.url(AgentPaths.CHECK_IN))
                .header(Headers.DEVICE, agent.deviceId).post(RequestBody.create(body, TestServer.JSON)).build()));

        Request signed = agent.signed(AgentPaths.CHECK_IN, body, Clock.systemUTC());
        Request tampered = signed.newBuilder().post(RequestBody.create(
                TestAgent.bytes(new CheckInRequest("other-host", null, null, "root", null, List.of())), TestServer.JSON)).build();
        refused(401, "bad-signature", () -> server.call(tampered));

        Clock sixMinutesAgo = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-6));
        refused(401, "stale-request", () -> server.call(agent.signed(AgentPaths.CHECK_IN, body, sixMinutesAgo)));
        Clock sixMinutesAhead = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(6));
        refused(401, "stale-request", () -> server.call(agent.signed(AgentPaths.CHECK_IN, body, sixMinutesAhead)));

        assertThat(server.call(signed).status()).isEqualTo(200);
        refused(401, "replayed-request", () -> server.call(signed));
    }

    @Test
    void unknownDeviceIsRefused() throws Exception {
        TestAgent stranger = new TestAgent(server);
        stranger.deviceId = UUID.randomUUID().toString();
        refused(401, "unknown-device", () -> stranger.checkIn("root"));
    }

    @Test
    void registrationKeyProblemsAreRefusedAndAuditedButCreateNothing() throws Exception {
        // Bookkeeping of the refused attempt: its audit entry (and, on PostgreSQL, the chain head row and the
        // shared registration rate count).
        Set<String> auditOnly = Set.of("audit_log", "sqlite_sequence", "request_nonces", "audit_chain_head", "rate_events");
        long refusedBefore = DbSnapshot.count(dataDir, "SELECT COUNT(*) FROM audit_log WHERE outcome = 'refused'");

        refusedChanging(403, "registration-key-invalid", auditOnly, () -> new TestAgent(server).register("crk_" + CANARY));

        var created = server.post("/api/v1/registration-keys", Map.of("name", "revoked")).json();
        String revoked = created.get("id").asText();
        String revokedKey = created.get("key").asText();
        server.post("/api/v1/registration-keys/" + revoked + "/revoke", null);
        refusedChanging(403, "registration-key-revoked", auditOnly, () -> new TestAgent(server).register(revokedKey));

        var expiring = server.post("/api/v1/registration-keys", Map.of("name", "expiring", "expiresAt", "2099-01-01T00:00:00Z")).json();
        try (Connection c = DbSnapshot.open(dataDir);
             PreparedStatement st = c.prepareStatement("UPDATE registration_keys SET expires_at = 1000 WHERE id = ?")) {
            st.setString(1, expiring.get("id").asText());
            st.executeUpdate();
        }
        refusedChanging(403, "registration-key-expired", auditOnly, () -> new TestAgent(server).register(expiring.get("key").asText()));

        String once = server.post("/api/v1/registration-keys", Map.of("name", "once", "maxUses", 1)).json().get("key").asText();
        assertThat(new TestAgent(server).register(once).status()).isEqualTo(201);
        refusedChanging(403, "registration-key-used-up", auditOnly, () -> new TestAgent(server).register(once));

        long refusedAfter = DbSnapshot.count(dataDir, "SELECT COUNT(*) FROM audit_log WHERE outcome = 'refused'");
        assertThat(refusedAfter - refusedBefore).isEqualTo(4);
    }

    @Test
    void controlCharactersInHostnamesReasonsAndNamesAreRefused() throws Exception {
        refused(400, "invalid-hostname", () -> agent.post(AgentPaths.CHECK_IN,
                new CheckInRequest("host\n" + CANARY, null, null, "root", null, List.of())));
        TestAgent newcomer = new TestAgent(server);
        newcomer.hostname = "evil\u0000" + CANARY;
        String key = TestAgent.newRegistrationKey(server);
        refused(400, "invalid-hostname", () -> newcomer.register(key));
        refused(400, "invalid-reason", () -> server.get("/api/v1/devices/" + agent.deviceId + "/password?reason=ok%0A" + CANARY));
        refused(400, "invalid-name", () -> server.post("/api/v1/registration-keys", Map.of("name", "a\u001b[31m" + CANARY)));
        refused(400, "invalid-reason", () -> server.get("/api/v1/devices/" + agent.deviceId + "/password?reason=" + "x".repeat(501)));
    }

    @Test
    void everyNamedResourceRefusesNamesOutsideTheOneCharacterSet() throws Exception {
        String user = new org.castellan.server.testing.AdminApi(server).user("names-" + UUID.randomUUID().toString()
                .substring(0, 8), null);
        // Each kind of name, over the API: look-alike Cyrillic 'а', a colon (it separates kind and
        // name in references), quotes, a slash, a leading space, two spaces, a trailing space.
        List<String> bad = List.of("p\u0430yroll", "user-group:x", "say \"hi\"", "a/b", " lead", "two  spaces",
                "trail ", "-dash-first", "x".repeat(101));
        for (String name : bad) {
            refused(400, "invalid-name", () -> server.post("/api/v1/registration-keys", Map.of("name", name)));
            refused(400, "invalid-name", () -> server.post("/api/v1/user-groups", Map.of("name", name)));
            refused(400, "invalid-name", () -> server.post("/api/v1/device-groups", Map.of("name", name)));
            refused(400, "invalid-name", () -> server.post("/api/v1/rules", Map.of("name", name,
                    "principals", List.of("user:" + user), "targets", List.of("all"), "permissions", List.of("password.read"))));
            refused(400, "invalid-name", () -> server.post("/api/v1/channels", Map.of("name", name, "type", "webhook",
                    "url", "https://hooks.example/x", "secret", "s".repeat(32))));
            refused(400, "invalid-name", () -> server.post("/api/v1/users/" + user + "/tokens", Map.of("name", name)));
        }
        refused(400, "invalid-group", () -> server.post("/api/v1/registration-keys", Map.of("name", "ok", "group", "a:b")));
        // What the set allows works everywhere.
        String good = "Help desk (EU) v2.1_a@b+c-d";
        assertThat(server.post("/api/v1/registration-keys", Map.of("name", good)).status()).isEqualTo(201);
        assertThat(server.post("/api/v1/user-groups", Map.of("name", good)).status()).isEqualTo(201);
        assertThat(server.post("/api/v1/device-groups", Map.of("name", good)).status()).isEqualTo(201);
        assertThat(server.post("/api/v1/users/" + user + "/tokens", Map.of("name", good)).status()).isEqualTo(201);
    }

    @Test
    void envelopeSealedForAnotherDeviceOrRotationIsRefused() throws Exception {
        String rotationId = UUID.randomUUID().toString();
        TestAgent other = new TestAgent(server).registered();
        var forOtherDevice = other.seal("root", rotationId, CANARY);
        refused(400, "bad-envelope", () -> agent.post(AgentPaths.ROTATIONS, new EscrowRequest(rotationId, "root", forOtherDevice)));
        var forOtherRotation = agent.seal("root", UUID.randomUUID().toString(), CANARY);
        refused(400, "bad-envelope", () -> agent.post(AgentPaths.ROTATIONS, new EscrowRequest(rotationId, "root", forOtherRotation)));
        var forOtherAccount = agent.seal("admin", rotationId, CANARY);
        refused(400, "bad-envelope", () -> agent.post(AgentPaths.ROTATIONS, new EscrowRequest(rotationId, "root", forOtherAccount)));
        refused(400, "invalid-rotationId", () -> agent.post(AgentPaths.ROTATIONS,
                new EscrowRequest(CANARY, "root", agent.seal("root", CANARY, "x"))));
    }

    @Test
    void reusingAnotherDevicesRotationIdAnswersExactlyLikeAnUnknownId() throws Exception {
        TestAgent owner = new TestAgent(server).registered();
        String taken = UUID.randomUUID().toString();
        assertThat(owner.escrow("root", taken, "Owners-Password-1").status()).isEqualTo(201);
        assertThat(owner.commit(taken).status()).isEqualTo(200);

        TestAgent prober = new TestAgent(server).registered();
        String unknown = UUID.randomUUID().toString();
        TestServer.Reply onUnknown = prober.escrow("root", unknown, "Probers-Password-1");
        TestServer.Reply onTaken = prober.escrow("root", taken, "Probers-Password-2");
        assertThat(onTaken.status()).as(onTaken.body()).isEqualTo(onUnknown.status()).isEqualTo(201);
        assertThat(onTaken.body().replace(taken, "ID")).isEqualTo(onUnknown.body().replace(unknown, "ID"));
        // Commit and abort of the other device's id: the prober's own row, never the owner's.
        TestServer.Reply commitUnknown = prober.commit(unknown);
        TestServer.Reply commitTaken = prober.commit(taken); // escrowed later, so it is not superseded
        assertThat(commitTaken.status()).isEqualTo(commitUnknown.status()).isEqualTo(200);
        assertThat(prober.abort(taken, null).error()).isEqualTo(prober.abort(unknown, null).error())
                .isEqualTo("rotation-committed");
        String neverUsed = UUID.randomUUID().toString();
        assertThat(owner.commit(neverUsed).error()).isEqualTo("unknown-rotation");

        assertThat(server.get("/api/v1/devices/" + owner.deviceId + "/password").json().get("password").asText())
                .isEqualTo("Owners-Password-1");
        assertThat(server.get("/api/v1/devices/" + prober.deviceId + "/password").json().get("rotationId").asText())
                .isEqualTo(taken);
        assertThat(server.get("/api/v1/devices/" + owner.deviceId + "/password/history").json()).hasSize(1);
    }

    @Test
    void escrowOfTheSameRotationWithAnotherPasswordConflicts() throws Exception {
        String rotationId = UUID.randomUUID().toString();
        assertThat(agent.escrow("root", rotationId, "First-Password-9").status()).isEqualTo(201);
        refused(409, "rotation-conflict", () -> agent.escrow("root", rotationId, CANARY));
    }
}
