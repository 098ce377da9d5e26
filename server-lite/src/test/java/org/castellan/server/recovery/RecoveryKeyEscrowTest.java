package org.castellan.server.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.castellan.protocol.messages.EscrowedRecoveryKey;
import org.castellan.protocol.messages.RecoveryKeyEscrowRequest;
import org.castellan.server.recovery.RecoveryKeyClient.Key;
import org.castellan.server.testing.DbSnapshot;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recovery-key escrow and reveal over real HTTPS and a real SQLite file. */
class RecoveryKeyEscrowTest {
    private static final String OS_PROTECTOR = "{1A2B3C4D-0000-4000-8000-00000000000A}";
    private static final String DATA_PROTECTOR = "{9F8E7D6C-0000-4000-8000-00000000000B}";

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

    /** The answer's JSON once its status is 200: a failed escrow shows its status and body, not a NullPointerException. */
    private static JsonNode ok(TestServer.Reply reply) throws Exception {
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json();
    }

    private static Key key(String volume, String label, String protector, int seed) {
        return new Key("\\\\?\\Volume{" + volume + "}\\", label, protector, RecoveryKeyClient.numericalPassword(seed));
    }

    @Test
    void escrowedKeysAreRevealedByDeviceAndByKeyIdPrefixAndAudited() throws Exception {
        TestAgent agent = new TestAgent(server).registered();
        RecoveryKeyClient client = new RecoveryKeyClient(agent);
        Key os = key("os-1", "C:", OS_PROTECTOR.replace("0A}", "1A}"), 1);
        Key data = key("data-1", "D:", DATA_PROTECTOR, 2);

        TestServer.Reply escrow = client.escrow(List.of("G: (locked)"), os, data);
        assertThat(escrow.status()).as(escrow.body()).isEqualTo(200);
        assertThat(escrow.json().get("stored").asInt()).isEqualTo(2);
        assertThat(escrow.json().get("unchanged").asInt()).isEqualTo(0);

        JsonNode byDevice = server.get("/api/v1/devices/" + agent.deviceId + "/recovery-keys?reason=ticket%2042").json();
        assertThat(byDevice).hasSize(2);
        assertThat(byDevice).extracting(n -> n.get("recoveryKey").asText())
                .containsExactlyInAnyOrder(os.recoveryKey(), data.recoveryKey());
        JsonNode c = find(byDevice, "C:");
        assertThat(c.get("volumeId").asText()).isEqualTo(os.volumeId());
        assertThat(c.get("protectorId").asText()).isEqualTo(os.protectorId());
        assertThat(c.get("escrowedAt").isNull()).isFalse();
        assertThat(c.get("removedAt").isNull()).isTrue();

        // As the BitLocker recovery screen shows it: first 8 hex digits, any case, braces optional.
        JsonNode byKeyId = server.get("/api/v1/recovery-keys?keyId=9f8e7d6c&reason=locked%20out").json();
        List<JsonNode> mine = ofDevice(byKeyId, agent.deviceId);
        assertThat(mine).hasSize(1);
        assertThat(mine.get(0).get("recoveryKey").asText()).isEqualTo(data.recoveryKey());
        assertThat(mine.get(0).get("hostname").asText()).isEqualTo(agent.hostname);
        assertThat(mine.get(0).get("volumeLabel").asText()).isEqualTo("D:");
        assertThat(ofDevice(server.get("/api/v1/recovery-keys?keyId=%7B9F8E7D6C-0000").json(), agent.deviceId)).hasSize(1);

        assertThat(server.get("/api/v1/devices/" + agent.deviceId).json().get("unprotectedVolumes"))
                .extracting(JsonNode::asText).containsExactly("G: (locked)");
        TestAgent quiet = new TestAgent(server).registered();
        assertThat(server.get("/api/v1/devices/" + quiet.deviceId).json().get("unprotectedVolumes")).isEmpty();
        JsonNode audit = server.get("/api/v1/audit?device=" + agent.deviceId).json();
        assertThat(audit).extracting(n -> n.get("action").asText() + "/" + n.get("outcome").asText())
                .contains("recovery-key.escrow/ok", "recovery-key.reveal/granted");
        assertThat(audit).filteredOn(n -> n.get("action").asText().equals("recovery-key.reveal"))
                .extracting(n -> n.get("reason").asText(null)).containsExactly(null, "locked out", "ticket 42");
    }

    @Test
    void aShortPrefixReturnsTheMatchingKeysOfEveryDevice() throws Exception {
        TestAgent first = new TestAgent(server).registered();
        TestAgent second = new TestAgent(server).registered();
        String shared = "{5A5A5A5A-1111-4000-8000-000000000001}";
        new RecoveryKeyClient(first).escrow(List.of(), key("v", "C:", shared, 11));
        new RecoveryKeyClient(second).escrow(List.of(), key("v", "C:", shared.replace("0001}", "0002}"), 12));

        JsonNode found = server.get("/api/v1/recovery-keys?keyId=5A5A5A5A").json();

        assertThat(found).extracting(n -> n.get("deviceId").asText()).containsExactlyInAnyOrder(first.deviceId, second.deviceId);
        assertThat(server.get("/api/v1/recovery-keys?keyId=5A5A5A5A11110000").json()).isEmpty();
    }

    @Test
    void aKeyIdSearchReturnsOnlyTheDevicesTheCallerMayReadAndAuditsTheRest() throws Exception {
        TestAgent mine = new TestAgent(server).registered();
        TestAgent theirs = new TestAgent(server).registered();
        String protector = "{7C7C7C7C-2222-4000-8000-000000000001}";
        new RecoveryKeyClient(mine).escrow(List.of(), key("v", "C:", protector, 21));
        new RecoveryKeyClient(theirs).escrow(List.of(), key("v", "C:", protector.replace("0001}", "0002}"), 22));
        org.castellan.server.testing.AdminApi admin = new org.castellan.server.testing.AdminApi(server);
        String helpDesk = admin.user("kim-" + java.util.UUID.randomUUID().toString().substring(0, 8), null);
        admin.rule(java.util.Map.of("name", "kim-reads-one-device", "principals", List.of("user:" + helpDesk),
                "targets", List.of("device:" + mine.deviceId), "permissions", List.of("recovery-key.read")));
        String token = admin.token(helpDesk);

        JsonNode found = server.getWithToken("/api/v1/recovery-keys?keyId=7C7C7C7C&reason=desk", token).json();

        assertThat(found).extracting(n -> n.get("deviceId").asText()).containsExactly(mine.deviceId);
        assertThat(admin.audit("principal=user:" + helpDesk + "&action=recovery-key.reveal&outcome=denied"))
                .extracting(n -> n.get("deviceId").asText()).containsExactly(theirs.deviceId);
        assertThat(server.getWithToken("/api/v1/devices/" + theirs.deviceId + "/recovery-keys", token).status())
                .isEqualTo(403);
    }

    @Test
    void sameSetAgainIsUnchangedAndAChangedProtectorKeepsTheOldOneAsRemoved() throws Exception {
        TestAgent agent = new TestAgent(server).registered();
        RecoveryKeyClient client = new RecoveryKeyClient(agent);
        Key os = key("os-2", "C:", OS_PROTECTOR, 3);
        Key data = key("data-2", "D:", DATA_PROTECTOR, 4);
        client.escrow(List.of(), os, data);

        TestServer.Reply again = client.escrow(List.of(), os, data);
        assertThat(ok(again).get("stored").asInt()).isEqualTo(0);
        assertThat(ok(again).get("unchanged").asInt()).isEqualTo(2);
        assertThat(rows(agent)).isEqualTo(2);

        Key newOs = key("os-2", "C:", "{0C0C0C0C-0000-4000-8000-00000000000C}", 5);
        TestServer.Reply changed = client.escrow(List.of(), newOs, data);
        assertThat(ok(changed).get("stored").asInt()).isEqualTo(1);
        assertThat(ok(changed).get("unchanged").asInt()).isEqualTo(1);

        JsonNode keys = server.get("/api/v1/devices/" + agent.deviceId + "/recovery-keys").json();
        assertThat(keys).hasSize(3);
        assertThat(keys.get(0).get("removedAt").isNull()).isTrue();
        assertThat(keys.get(1).get("removedAt").isNull()).isTrue();
        assertThat(keys.get(2).get("removedAt").isNull()).isFalse();
        assertThat(keys.get(2).get("recoveryKey").asText()).isEqualTo(os.recoveryKey());
        assertThat(keys.get(2).get("protectorId").asText()).isEqualTo(OS_PROTECTOR);
        // The removed key is still found by its id (a backup image may need it).
        assertThat(ofDevice(server.get("/api/v1/recovery-keys?keyId=1a2b3c4d").json(), agent.deviceId))
                .extracting(n -> n.get("recoveryKey").asText()).containsExactly(os.recoveryKey());

        TestServer.Reply none = client.escrow(List.of("C:"));
        assertThat(ok(none).get("stored").asInt()).isEqualTo(0);
        assertThat(DbSnapshot.count(dataDir, "SELECT COUNT(*) FROM recovery_keys WHERE removed_at IS NULL AND device_id = '"
                + agent.deviceId + "'")).isZero();
        assertThat(rows(agent)).isEqualTo(3);
    }

    @Test
    void aNewSecretUnderTheSameProtectorReplacesTheOldOne() throws Exception {
        TestAgent agent = new TestAgent(server).registered();
        RecoveryKeyClient client = new RecoveryKeyClient(agent);
        Key before = new Key("disk-uuid", "/", "personal-recovery-key", "ABCD-EFGH-IJKL-MNOP-QRST-UVWX");
        Key after = new Key("disk-uuid", "/", "personal-recovery-key", "ZYXW-VUTS-RQPO-NMLK-JIHG-FEDC");
        client.escrow(List.of(), before);

        TestServer.Reply replaced = client.escrow(List.of(), after);

        assertThat(ok(replaced).get("stored").asInt()).isEqualTo(1);
        JsonNode keys = server.get("/api/v1/devices/" + agent.deviceId + "/recovery-keys").json();
        assertThat(keys).extracting(n -> n.get("recoveryKey").asText()).containsExactly(after.recoveryKey(), before.recoveryKey());
        assertThat(keys.get(1).get("removedAt").isNull()).isFalse();
    }

    @Test
    void envelopeSealedForAnotherDeviceOrVolumeIsRefusedAndNothingIsStored() throws Exception {
        TestAgent agent = new TestAgent(server).registered();
        TestAgent other = new TestAgent(server).registered();
        RecoveryKeyClient client = new RecoveryKeyClient(agent);
        Key good = key("os-3", "C:", OS_PROTECTOR, 6);
        client.escrow(List.of(), good);
        Map<String, List<String>> before = DbSnapshot.take(dataDir);

        EscrowedRecoveryKey otherDevice = new EscrowedRecoveryKey("vol-x", "E:", OS_PROTECTOR,
                client.seal(other.deviceId, "vol-x", OS_PROTECTOR, RecoveryKeyClient.numericalPassword(7)));
        EscrowedRecoveryKey otherVolume = new EscrowedRecoveryKey("vol-x", "E:", OS_PROTECTOR,
                client.seal(agent.deviceId, "vol-y", OS_PROTECTOR, RecoveryKeyClient.numericalPassword(7)));
        EscrowedRecoveryKey otherProtector = new EscrowedRecoveryKey("vol-x", "E:", OS_PROTECTOR,
                client.seal(agent.deviceId, "vol-x", DATA_PROTECTOR, RecoveryKeyClient.numericalPassword(7)));
        for (EscrowedRecoveryKey bad : List.of(otherDevice, otherVolume, otherProtector)) {
            TestServer.Reply reply = client.post(new RecoveryKeyEscrowRequest(List.of(client.sealed(good), bad), List.of()));
            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.error()).isEqualTo("bad-envelope");
            assertThat(reply.json().get("message").asText()).contains("keys[1]");
        }

        assertThat(DbSnapshot.take(dataDir)).isEqualTo(before);
    }

    @Test
    void badInputGetsAPreciseErrorAndChangesNothing() throws Exception {
        TestAgent agent = new TestAgent(server).registered();
        RecoveryKeyClient client = new RecoveryKeyClient(agent);
        client.escrow(List.of("F:"), key("os-4", "C:", OS_PROTECTOR, 8));
        Map<String, List<String>> before = DbSnapshot.take(dataDir);
        EscrowedRecoveryKey ok = client.sealed(key("os-4", "C:", OS_PROTECTOR, 8));
        String longId = "v".repeat(201);

        Map<Object, String> cases = new java.util.LinkedHashMap<>();
        cases.put(new RecoveryKeyEscrowRequest(null, List.of()), "invalid-keys");
        cases.put(new RecoveryKeyEscrowRequest(List.of(ok, withLabel(client, "D:\u0007")), List.of()), "invalid-volumeLabel");
        cases.put(new RecoveryKeyEscrowRequest(List.of(ok, sealedAs(client, longId, OS_PROTECTOR)), List.of()), "invalid-volumeId");
        cases.put(new RecoveryKeyEscrowRequest(List.of(ok, sealedAs(client, "vol\nx", OS_PROTECTOR)), List.of()), "invalid-volumeId");
        cases.put(new RecoveryKeyEscrowRequest(List.of(ok, sealedAs(client, "vol-z", "")), List.of()), "invalid-protectorId");
        cases.put(new RecoveryKeyEscrowRequest(List.of(ok, ok), List.of()), "duplicate-protector");
        cases.put(new RecoveryKeyEscrowRequest(List.of(ok), List.of("G:\u202e")), "invalid-unprotectedVolumes");
        cases.put(new RecoveryKeyEscrowRequest(List.of(new EscrowedRecoveryKey("vol-z", "Z:", OS_PROTECTOR, null)), List.of()),
                "bad-envelope");
        cases.put("{\"keys\":[],\"unprotectedVolumes\":[],\"extra\":1}", "unknown-field");
        cases.put("not json", "malformed-json");
        for (Map.Entry<Object, String> c : cases.entrySet()) {
            TestServer.Reply reply = client.post(c.getKey());
            assertThat(reply.status()).as(c.getValue() + ": " + reply.body()).isEqualTo(400);
            assertThat(reply.error()).as(reply.body()).isEqualTo(c.getValue());
        }

        assertThat(DbSnapshot.take(dataDir)).isEqualTo(before);
    }

    @Test
    void unsignedEscrowIsRefused() throws Exception {
        TestServer.Reply reply = server.post("/api/v1/agent/recovery-keys", "{\"keys\":[],\"unprotectedVolumes\":[]}");
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.error()).isEqualTo("missing-signature");
    }

    @Test
    void revealWithoutATokenIsRefusedAndAuditedAsDenied() throws Exception {
        TestAgent agent = new TestAgent(server).registered();
        new RecoveryKeyClient(agent).escrow(List.of(), key("os-5", "C:", OS_PROTECTOR, 9));

        TestServer.Reply byDevice = server.getWithToken("/api/v1/devices/" + agent.deviceId + "/recovery-keys", null);
        TestServer.Reply byKeyId = server.getWithToken("/api/v1/recovery-keys?keyId=1a2b3c4d", "cat_not-a-real-token");

        assertThat(byDevice.status()).isEqualTo(401);
        assertThat(byKeyId.status()).isEqualTo(401);
        assertThat(byDevice.body() + byKeyId.body()).doesNotContain(RecoveryKeyClient.numericalPassword(9));
        assertThat(DbSnapshot.count(dataDir, "SELECT COUNT(*) FROM audit_log WHERE action = 'recovery-key.reveal'"
                + " AND outcome = 'denied' AND principal = 'anonymous' AND device_id = '" + agent.deviceId + "'")).isEqualTo(1);
        // The second refusal from this address is counted into the window's row (AnonymousDenials).
        server.server.flushAnonymousDenials();
        assertThat(DbSnapshot.count(dataDir, "SELECT COUNT(*) FROM audit_log WHERE action = 'recovery-key.reveal'"
                + " AND outcome = 'denied' AND device_id IS NULL")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void keyIdMustBeAtLeastEightHexDigits() throws Exception {
        for (String bad : List.of("1a2b3c4", "xyz12345", "1a2b3c4d%25", "")) {
            TestServer.Reply reply = server.get("/api/v1/recovery-keys?keyId=" + bad);
            assertThat(reply.status()).as(bad).isEqualTo(400);
            assertThat(reply.error()).isEqualTo("invalid-keyId");
        }
        assertThat(server.get("/api/v1/recovery-keys").error()).isEqualTo("invalid-keyId");
        assertThat(server.get("/api/v1/devices/no-such-device/recovery-keys").error()).isEqualTo("device-not-found");
    }

    @Test
    void plaintextRecoveryKeysAreNowhereInTheDataDirectory() throws Exception {
        TestAgent agent = new TestAgent(server).registered();
        Key k = key("os-6", "C:", OS_PROTECTOR, 10);
        new RecoveryKeyClient(agent).escrow(List.of(), k);
        server.get("/api/v1/devices/" + agent.deviceId + "/recovery-keys?reason=check");

        byte[] raw = k.recoveryKey().getBytes(StandardCharsets.UTF_8);
        byte[] b64 = Base64.getEncoder().encodeToString(raw).getBytes(StandardCharsets.US_ASCII);
        List<Path> hits = new ArrayList<>();
        // The audit anchor is written in the background (audit/head.tmp, then renamed): let it catch up,
        // and skip a temp file renamed away mid-scan.
        assertThat(server.server.awaitAuditAnchored()).isTrue();
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                if (file.getFileName().toString().endsWith(".tmp") && !Files.exists(file)) {
                    continue;
                }
                byte[] content = Files.readAllBytes(file);
                if (contains(content, raw) || contains(content, b64)) {
                    hits.add(file);
                }
            }
        }
        assertThat(hits).isEmpty();
        assertThat(DbSnapshot.count(dataDir, "SELECT COUNT(*) FROM recovery_keys WHERE device_id = '" + agent.deviceId + "'"))
                .isEqualTo(1);
    }

    private static EscrowedRecoveryKey withLabel(RecoveryKeyClient client, String label) throws Exception {
        return client.sealed(new Key("vol-l", label, OS_PROTECTOR, RecoveryKeyClient.numericalPassword(20)));
    }

    private static EscrowedRecoveryKey sealedAs(RecoveryKeyClient client, String volumeId, String protectorId) throws Exception {
        return client.sealed(new Key(volumeId, "X:", protectorId, RecoveryKeyClient.numericalPassword(21)));
    }

    private long rows(TestAgent agent) {
        return DbSnapshot.count(dataDir, "SELECT COUNT(*) FROM recovery_keys WHERE device_id = '" + agent.deviceId + "'");
    }

    private static JsonNode find(JsonNode keys, String label) {
        for (JsonNode k : keys) {
            if (label.equals(k.path("volumeLabel").asText())) {
                return k;
            }
        }
        throw new AssertionError("no key for " + label + " in " + keys);
    }

    private static List<JsonNode> ofDevice(JsonNode found, String deviceId) {
        List<JsonNode> mine = new ArrayList<>();
        found.forEach(n -> {
            if (n.get("deviceId").asText().equals(deviceId)) {
                mine.add(n);
            }
        });
        return mine;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
