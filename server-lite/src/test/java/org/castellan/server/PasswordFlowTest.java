package org.castellan.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.castellan.server.testing.DbSnapshot;
import org.castellan.server.testing.OnPostgres;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole life of a password over real HTTPS and a real database (SQLite, or PostgreSQL in that execution). */
class PasswordFlowTest {
    @TempDir
    static Path dataDir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dataDir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void escrowedPasswordIsPendingUntilCommittedThenCurrentAndInHistory() throws Exception {
        TestAgent agent = new TestAgent(server).registered();

        TestServer.Reply checkIn = agent.checkIn("root");
        assertThat(checkIn.status()).isEqualTo(200);
        assertThat(checkIn.json().get("rotate").asBoolean()).isTrue();
        assertThat(checkIn.json().get("rotateReason").asText()).isEqualTo("no-password");
        assertThat(checkIn.json().get("vaultKey").get("keyId").asText()).isEqualTo(agent.vaultKey.keyId());
        assertThat(checkIn.json().get("policy").get("length").asInt()).isEqualTo(20);

        String rotationId = UUID.randomUUID().toString();
        TestServer.Reply escrow = agent.escrow("root", rotationId, "Correct-Horse-1");
        assertThat(escrow.status()).isEqualTo(201);
        assertThat(escrow.json().get("state").asText()).isEqualTo("pending");

        JsonNode pendingOnly = server.get("/api/v1/devices/" + agent.deviceId + "/password?reason=ticket%20123").json();
        assertThat(pendingOnly.get("password").isNull()).isTrue();
        assertThat(pendingOnly.get("pending")).hasSize(1);
        assertThat(pendingOnly.get("pending").get(0).get("password").asText()).isEqualTo("Correct-Horse-1");
        assertThat(pendingOnly.get("pending").get(0).get("note").asText()).startsWith("may be in use");

        assertThat(agent.commit(rotationId).json().get("state").asText()).isEqualTo("committed");
        JsonNode current = server.get("/api/v1/devices/" + agent.deviceId + "/password").json();
        assertThat(current.get("password").asText()).isEqualTo("Correct-Horse-1");
        assertThat(current.get("account").asText()).isEqualTo("root");
        assertThat(current.get("rotationId").asText()).isEqualTo(rotationId);
        assertThat(current.get("hostname").asText()).isEqualTo(agent.hostname);
        assertThat(current.get("expiresAt").isNull()).isFalse();
        assertThat(current.get("pending")).isEmpty();

        assertThat(agent.checkIn("root").json().get("rotate").asBoolean()).isFalse();

        String second = UUID.randomUUID().toString();
        agent.escrow("root", second, "Battery-Staple-2");
        String aborted = UUID.randomUUID().toString();
        agent.escrow("root", aborted, "Never-Set-3");
        assertThat(agent.abort(aborted, "chpasswd failed").status()).isEqualTo(200);
        JsonNode withPending = server.get("/api/v1/devices/" + agent.deviceId + "/password").json();
        assertThat(withPending.get("password").asText()).isEqualTo("Correct-Horse-1");
        assertThat(withPending.get("pending")).extracting(n -> n.get("password").asText()).containsExactly("Battery-Staple-2");
        agent.commit(second);

        JsonNode history = server.get("/api/v1/devices/" + agent.deviceId + "/password/history?reason=audit").json();
        assertThat(history).extracting(n -> n.get("rotationId").asText()).containsExactly(aborted, second, rotationId);
        assertThat(history).extracting(n -> n.get("state").asText()).containsExactly("aborted", "committed", "superseded");
        assertThat(history.get(0).get("password").isNull()).isTrue();
        assertThat(history.get(2).get("password").asText()).isEqualTo("Correct-Horse-1");

        JsonNode audit = server.get("/api/v1/audit?device=" + agent.deviceId).json();
        assertThat(audit).extracting(n -> n.get("action").asText())
                .contains("device.register", "rotation.escrow", "rotation.commit", "rotation.abort",
                        "password.reveal", "password.history");
        assertThat(audit).filteredOn(n -> n.get("action").asText().equals("password.reveal"))
                .anySatisfy(n -> assertThat(n.get("reason").asText()).isEqualTo("ticket 123"));
        assertThat(audit.get(0).get("clientAddress").asText()).isEqualTo("127.0.0.1");
    }

    @Test
    void escrowRetryWithSameEnvelopeIsIdempotentAndDifferentEnvelopeConflicts() throws Exception {
        TestAgent agent = new TestAgent(server).registered();
        String rotationId = UUID.randomUUID().toString();
        var envelope = agent.seal("root", rotationId, "First-Password-1");
        var request = new org.castellan.protocol.messages.EscrowRequest(rotationId, "root", envelope);
        assertThat(agent.post("/api/v1/agent/rotations", request).status()).isEqualTo(201);
        TestServer.Reply retry = agent.post("/api/v1/agent/rotations", request);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.json().get("state").asText()).isEqualTo("pending");
        assertThat(DbSnapshot.count(dataDir, "SELECT COUNT(*) FROM rotations WHERE id = '" + rotationId + "'")).isEqualTo(1);
    }

    @Test
    void commitAndAbortFollowTheStateRules() throws Exception {
        TestAgent agent = new TestAgent(server).registered();
        String committed = UUID.randomUUID().toString();
        agent.escrow("root", committed, "Pass-Word-0001");
        assertThat(agent.commit(committed).status()).isEqualTo(200);
        assertThat(agent.commit(committed).status()).as("commit is idempotent").isEqualTo(200);
        assertThat(agent.abort(committed, null).error()).isEqualTo("rotation-committed");

        String aborted = UUID.randomUUID().toString();
        agent.escrow("root", aborted, "Pass-Word-0002");
        assertThat(agent.abort(aborted, null).status()).isEqualTo(200);
        assertThat(agent.abort(aborted, null).status()).as("abort is idempotent").isEqualTo(200);
        assertThat(agent.commit(aborted).error()).isEqualTo("rotation-aborted");

        assertThat(agent.commit(UUID.randomUUID().toString()).error()).isEqualTo("unknown-rotation");
        TestAgent other = new TestAgent(server).registered();
        assertThat(other.commit(committed).error()).as("another device's rotation").isEqualTo("unknown-rotation");
    }

    @Test
    void checkInAsksForRotationWhenAdminRequestsItOrAccountChanges() throws Exception {
        TestAgent agent = new TestAgent(server).registered();
        String rotationId = UUID.randomUUID().toString();
        agent.escrow("root", rotationId, "Pass-Word-0003");
        agent.commit(rotationId);
        assertThat(agent.checkIn("admin").json().get("rotateReason").asText()).isEqualTo("account-changed");

        TestServer.Reply requested = server.post("/api/v1/devices/" + agent.deviceId + "/rotate", null);
        assertThat(requested.status()).isEqualTo(202);
        assertThat(requested.json().get("rotateRequestedAt").asText()).isNotEmpty();
        JsonNode checkIn = agent.checkIn("root").json();
        assertThat(checkIn.get("rotate").asBoolean()).isTrue();
        assertThat(checkIn.get("rotateReason").asText()).isEqualTo("requested");

        String next = UUID.randomUUID().toString();
        agent.escrow("root", next, "Pass-Word-0004");
        agent.commit(next);
        assertThat(agent.checkIn("root").json().get("rotate").asBoolean()).isFalse();
    }

    @Test
    void devicesAreListedByHostnameWithRotationState() throws Exception {
        TestAgent agent = new TestAgent(server).registered();
        agent.checkIn("root");
        agent.escrow("root", UUID.randomUUID().toString(), "Pass-Word-0005");
        JsonNode list = server.get("/api/v1/devices?hostname=" + agent.hostname.toUpperCase()).json();
        assertThat(list).hasSize(1);
        JsonNode device = list.get(0);
        assertThat(device.get("id").asText()).isEqualTo(agent.deviceId);
        assertThat(device.get("os").asText()).isEqualTo("linux");
        assertThat(device.get("account").asText()).isEqualTo("root");
        assertThat(device.get("pendingRotation").asBoolean()).isTrue();
        assertThat(device.get("passwordRotatedAt").isNull()).isTrue();
        assertThat(device.get("lastSeenAt").isNull()).isFalse();
        assertThat(server.get("/api/v1/devices/" + agent.deviceId).json().get("hostname").asText()).isEqualTo(agent.hostname);
        assertThat(server.get("/api/v1/devices/nope").error()).isEqualTo("device-not-found");
    }

    @Test
    void revealWithoutPasswordIsNotFound() throws Exception {
        TestAgent agent = new TestAgent(server).registered();
        TestServer.Reply reply = server.get("/api/v1/devices/" + agent.deviceId + "/password");
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.error()).isEqualTo("no-password");
    }

    @Test
    void revealWithoutOrWithBadTokenIsRefusedAndAudited() throws Exception {
        TestAgent agent = new TestAgent(server).registered();
        String rotationId = UUID.randomUUID().toString();
        agent.escrow("root", rotationId, "Secret-Not-Shown-1");
        agent.commit(rotationId);
        long deniedBefore = deniedReveals(agent.deviceId);

        TestServer.Reply none = server.getWithToken("/api/v1/devices/" + agent.deviceId + "/password", null);
        TestServer.Reply bad = server.getWithToken("/api/v1/devices/" + agent.deviceId + "/password", "cat_forged");
        TestServer.Reply history = server.getWithToken("/api/v1/devices/" + agent.deviceId + "/password/history", "nope");

        for (TestServer.Reply reply : List.of(none, bad, history)) {
            assertThat(reply.status()).isEqualTo(401);
            assertThat(reply.error()).isEqualTo("unauthorized");
            assertThat(reply.body()).doesNotContain("Secret-Not-Shown-1");
        }
        // Refusals without a credential are coalesced per address and window: their counts add up.
        server.server.flushAnonymousDenials();
        assertThat(deniedReveals(agent.deviceId) - deniedBefore).isEqualTo(3);
    }

    private static long deniedReveals(String deviceId) {
        long sum = 0;
        try (var c = DbSnapshot.open(dataDir); var st = c.createStatement();
             var rs = st.executeQuery("SELECT detail FROM audit_log WHERE outcome = 'denied' AND device_id = '"
                     + deviceId + "' AND principal = 'anonymous'")) {
            while (rs.next()) {
                sum += Long.parseLong(rs.getString(1).replaceFirst("^count (\\d+).*", "$1"));
            }
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
        return sum;
    }

    @Test
    void adminEndpointsRefuseMissingToken() throws Exception {
        TestServer.Reply reply = server.getWithToken("/api/v1/devices", null);
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.error()).isEqualTo("unauthorized");
    }

    @Test
    void plaintextPasswordsAppearNowhereInTheDataDirectory() throws Exception {
        TestAgent agent = new TestAgent(server).registered();
        List<String> passwords = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String password = "Plaintext-Canary-" + UUID.randomUUID();
            passwords.add(password);
            String rotationId = UUID.randomUUID().toString();
            agent.escrow("root", rotationId, password);
            agent.commit(rotationId);
        }
        assertThat(server.get("/api/v1/devices/" + agent.deviceId + "/password/history").body()).contains(passwords.get(0));
        // The audit anchor is written in the background (audit/head.tmp, then renamed): let it catch up
        // so the scan sees the settled files, and skip a temp file renamed away mid-scan.
        assertThat(server.server.awaitAuditAnchored()).isTrue();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dataDir)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        if (OnPostgres.active()) {
            // The database is elsewhere: every row of it, read back, holds no password either.
            String rows = DbSnapshot.take(dataDir).toString();
            for (String password : passwords) {
                assertThat(rows).as("the PostgreSQL database").doesNotContain(password);
            }
        } else {
            assertThat(files).extracting(p -> p.getFileName().toString())
                    .contains("castellan.db", "castellan.db-wal", "castellan.db-shm");
        }
        for (Path file : files) {
            if (vanishedTempFile(file)) {
                continue;
            }
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .as("mode of %s while the server runs", file).isEqualTo("rw-------");
        }
        for (Path file : files) {
            if (vanishedTempFile(file)) {
                continue;
            }
            String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            for (String password : passwords) {
                assertThat(content).as(file.toString()).doesNotContain(password);
                assertThat(content).as(file.toString()).doesNotContain(new String(
                        password.getBytes(StandardCharsets.UTF_16LE), StandardCharsets.ISO_8859_1));
            }
        }
    }

    @Test
    void policyUpdateKeepsUnspecifiedFieldsAndValidatesEachField() throws Exception {
        TestServer.Reply updated = server.put("/api/v1/policies/team-a", Map.of("length", 32, "maxAgeDays", 7));
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("length").asInt()).isEqualTo(32);
        assertThat(updated.json().get("complexity").asText()).isEqualTo("full");
        assertThat(server.get("/api/v1/policies/team-a").json().get("maxAgeDays").asInt()).isEqualTo(7);

        var before = DbSnapshot.take(dataDir);
        TestServer.Reply tooShort = server.put("/api/v1/policies/team-a", Map.of("length", 8));
        assertThat(tooShort.status()).isEqualTo(400);
        assertThat(tooShort.error()).isEqualTo("invalid-length");
        assertThat(server.put("/api/v1/policies/team-a", Map.of("complexity", "weird")).error()).isEqualTo("invalid-complexity");
        assertThat(server.put("/api/v1/policies/team-a", Map.of("passphraseWords", 2)).error()).isEqualTo("invalid-passphraseWords");
        assertThat(server.put("/api/v1/policies/team-a", Map.of("checkInSeconds", 5)).error()).isEqualTo("invalid-checkInSeconds");
        assertThat(server.put("/api/v1/policies/team-a", "{\"length\":\"32\"}").error()).isEqualTo("invalid-type");
        assertThat(DbSnapshot.take(dataDir)).isEqualTo(before);

        assertThat(server.get("/api/v1/policies/default").json().get("checkInSeconds").asInt()).isEqualTo(3600);
        assertThat(server.get("/api/v1/policies/none-such").error()).isEqualTo("policy-not-found");
    }

    @Test
    void registrationKeysAreListedWithoutTheKeyAndCanBeRevoked() throws Exception {
        TestServer.Reply created = server.post("/api/v1/registration-keys",
                Map.of("name", "lab", "maxUses", 5, "expiresAt", "2099-01-01T00:00:00Z", "group", "lab"));
        assertThat(created.status()).isEqualTo(201);
        String key = created.json().get("key").asText();
        String id = created.json().get("id").asText();
        assertThat(key).startsWith("crk_").hasSize(4 + 43);
        assertThat(created.json().get("maxUses").asInt()).isEqualTo(5);

        TestServer.Reply list = server.get("/api/v1/registration-keys");
        assertThat(list.body()).doesNotContain(key);
        assertThat(list.json()).anySatisfy(k -> {
            assertThat(k.get("id").asText()).isEqualTo(id);
            assertThat(k.get("uses").asInt()).isZero();
        });
        assertThat(server.post("/api/v1/registration-keys/" + id + "/revoke", null).json().get("revokedAt").isNull()).isFalse();
        assertThat(server.post("/api/v1/registration-keys/unknown/revoke", null).error()).isEqualTo("registration-key-not-found");
    }

    @Test
    void healthAndMetricsNeedNoToken() throws Exception {
        assertThat(server.getWithToken("/healthz", null).json().get("status").asText()).isEqualTo("ok");
        TestServer.Reply metrics = server.getWithToken("/metrics", null);
        assertThat(server.getWithToken("/api/v1/devices", "cat_wrong").status()).isEqualTo(401);
        assertThat(server.getWithToken("/metrics", null).body())
                .containsPattern("castellan_http_requests_total\\{class=\"4xx\"\\} [1-9]");
        assertThat(metrics.body()).contains("castellan_http_requests_total{class=\"2xx\"}", "castellan_escrows_total",
                "castellan_reveals_total{outcome=\"granted\"}");
    }

    @Test
    void unknownRouteIsJson404() throws Exception {
        TestServer.Reply reply = server.get("/api/v1/nothing-here");
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.error()).isEqualTo("not-found");
    }

    /** A writer's temp file (written, then renamed over the real one) that is already gone. */
    private static boolean vanishedTempFile(Path file) {
        return file.getFileName().toString().endsWith(".tmp") && !Files.exists(file);
    }
}
