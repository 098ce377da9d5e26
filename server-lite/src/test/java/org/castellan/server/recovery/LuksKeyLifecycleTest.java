package org.castellan.server.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.castellan.protocol.AgentPaths;
import org.castellan.protocol.messages.LuksKeyEscrowRequest;
import org.castellan.protocol.messages.LuksKeyRef;
import org.castellan.server.testing.AdminApi;
import org.castellan.server.testing.OneServerPerClass;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.Test;

/** LUKS keys one at a time (pending, commit, retire), rotate after read, over real HTTPS and SQLite. */
class LuksKeyLifecycleTest extends OneServerPerClass {
    private static final String VOLUME = "4f3c2b1a-0000-4000-8000-000000000001";

    private static TestServer.Reply escrow(TestAgent agent, String protector, String passphrase) throws Exception {
        return agent.post(AgentPaths.LUKS_KEYS, new LuksKeyEscrowRequest(VOLUME, "/dev/vda3", protector,
                new RecoveryKeyClient(agent).seal(agent.deviceId, VOLUME, protector, passphrase)));
    }

    private static JsonNode keysOf(TestAgent agent) throws Exception {
        return server.get("/api/v1/devices/" + agent.deviceId + "/recovery-keys?reason=test").json();
    }

    @Test
    void aPendingKeyIsRevealableMarkedPendingAndCommitMakesItCurrent() throws Exception {
        TestAgent agent = agent();
        TestServer.Reply escrowed = escrow(agent, "castellan-a", "first passphrase");
        assertThat(escrowed.status()).as(escrowed.body()).isEqualTo(200);
        assertThat(escrowed.json().get("state").asText()).isEqualTo("pending");
        // Repeating the same call (a lost answer) is harmless; another key under the same id is not.
        assertThat(escrow(agent, "castellan-a", "first passphrase").status()).isEqualTo(200);
        TestServer.Reply clash = escrow(agent, "castellan-a", "other passphrase");
        assertThat(clash.status()).isEqualTo(409);
        assertThat(clash.error()).isEqualTo("luks-key-conflict");

        JsonNode pending = keysOf(agent);
        assertThat(pending).hasSize(1);
        assertThat(pending.get(0).get("recoveryKey").asText()).isEqualTo("first passphrase");
        assertThat(pending.get(0).get("kind").asText()).isEqualTo("luks");
        assertThat(pending.get(0).get("pending").asBoolean()).isTrue();

        TestServer.Reply commit = agent.post(AgentPaths.LUKS_KEY_COMMIT, new LuksKeyRef(VOLUME, "castellan-a"));
        assertThat(commit.status()).as(commit.body()).isEqualTo(200);
        JsonNode committed = keysOf(agent).get(0);
        assertThat(committed.has("pending")).isFalse();
        assertThat(committed.get("removedAt").isNull()).isTrue();

        // A full-set scan (BitLocker-style, empty here) never removes a Castellan-held LUKS key.
        assertThat(new RecoveryKeyClient(agent).escrow(List.of()).status()).isEqualTo(200);
        assertThat(keysOf(agent).get(0).get("removedAt").isNull()).isTrue();
    }

    @Test
    void retireMovesTheKeyToHistoryAndCommitAfterRetireIsRefused() throws Exception {
        TestAgent agent = agent();
        assertThat(escrow(agent, "castellan-b", "never added").status()).isEqualTo(200);
        TestServer.Reply retire = agent.post(AgentPaths.LUKS_KEY_RETIRE, new LuksKeyRef(VOLUME, "castellan-b"));
        assertThat(retire.status()).as(retire.body()).isEqualTo(200);
        assertThat(agent.post(AgentPaths.LUKS_KEY_RETIRE, new LuksKeyRef(VOLUME, "castellan-b")).status()).isEqualTo(200);
        JsonNode key = keysOf(agent).get(0);
        assertThat(key.get("removedAt").isNull()).isFalse();
        assertThat(key.get("recoveryKey").asText()).as("history stays revealable").isEqualTo("never added");
        TestServer.Reply again = escrow(agent, "castellan-b", "never added");
        assertThat(again.status()).as("a retired key is not escrowed again").isEqualTo(409);
        assertThat(again.error()).isEqualTo("luks-key-retired");
        TestServer.Reply late = agent.post(AgentPaths.LUKS_KEY_COMMIT, new LuksKeyRef(VOLUME, "castellan-b"));
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.error()).isEqualTo("luks-key-retired");
        TestServer.Reply unknown = agent.post(AgentPaths.LUKS_KEY_COMMIT, new LuksKeyRef(VOLUME, "castellan-zz"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(server.get("/api/v1/audit?device=" + agent.deviceId + "&action=luks-key.retire").json()).hasSize(1);
    }

    @Test
    void aKeyEnvelopeBoundToAnotherProtectorIsRefusedAndNothingIsStored() throws Exception {
        TestAgent agent = agent();
        TestServer.Reply reply = agent.post(AgentPaths.LUKS_KEYS, new LuksKeyEscrowRequest(VOLUME, "/dev/vda3",
                "castellan-c", new RecoveryKeyClient(agent).seal(agent.deviceId, VOLUME, "castellan-other", "x")));
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error()).isEqualTo("bad-envelope");
        assertThat(keysOf(agent)).isEmpty();
    }

    @Test
    void aReadUnderARotateAfterReadRuleAsksTheAgentToReplaceTheLuksKeyAfterTheDelay() throws Exception {
        TestAgent agent = agent();
        assertThat(escrow(agent, "castellan-d", "read me").status()).isEqualTo(200);
        assertThat(agent.post(AgentPaths.LUKS_KEY_COMMIT, new LuksKeyRef(VOLUME, "castellan-d")).status()).isEqualTo(200);
        assertThat(agent.checkIn("root").json().get("rotateRecoveryKeys")).isEmpty();

        String user = admin.user("luks-" + UUID.randomUUID().toString().substring(0, 8), null);
        admin.rule(Map.of("principals", List.of("user:" + user), "targets", List.of("device:" + agent.deviceId),
                "permissions", List.of("recovery-key.read"), "rotateAfterReadMinutes", 30));
        TestServer.Reply read = server.getWithToken("/api/v1/devices/" + agent.deviceId + "/recovery-keys",
                admin.token(user));
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        assertThat(read.json().get(0).get("recoveryKey").asText()).isEqualTo("read me");

        clock.advance(Duration.ofMinutes(29));
        assertThat(agent.checkIn("root").json().get("rotateRecoveryKeys")).isEmpty();
        clock.advance(Duration.ofMinutes(2));
        JsonNode due = agent.checkIn("root").json().get("rotateRecoveryKeys");
        assertThat(due).hasSize(1);
        assertThat(due.get(0).asText()).isEqualTo("castellan-d");

        // Once replaced (the old slot retired) nothing is due any more.
        assertThat(agent.post(AgentPaths.LUKS_KEY_RETIRE, new LuksKeyRef(VOLUME, "castellan-d")).status()).isEqualTo(200);
        assertThat(agent.checkIn("root").json().get("rotateRecoveryKeys")).isEmpty();
    }

    @Test
    void thePolicyCarriesTheLuksSettingsToTheAgentAndRoundTrips() throws Exception {
        TestServer.Reply put = server.put("/api/v1/policies/luks-test", Map.of("luksEnabled", true,
                "luksUnlockKeyFile", "/etc/castellan/luks-unlock.key", "luksMaxAgeDays", 90));
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        JsonNode got = server.get("/api/v1/policies/luks-test").json();
        assertThat(got.get("luksEnabled").asBoolean()).isTrue();
        assertThat(got.get("luksUnlockKeyFile").asText()).isEqualTo("/etc/castellan/luks-unlock.key");
        assertThat(got.get("luksMaxAgeDays").asInt()).isEqualTo(90);
        TestServer.Reply bad = server.put("/api/v1/policies/luks-test", Map.of("luksUnlockKeyFile", "relative/key"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.error()).isEqualTo("invalid-luksUnlockKeyFile");

        TestServer.Reply defaults = server.put("/api/v1/policies/default", Map.of("luksEnabled", true,
                "luksUnlockKeyFile", "/root/luks.key"));
        assertThat(defaults.status()).as(defaults.body()).isEqualTo(200);
        try {
            JsonNode luks = agent().checkIn("root").json().get("policy").get("luks");
            assertThat(luks.get("enabled").asBoolean()).isTrue();
            assertThat(luks.get("unlockKeyFile").asText()).isEqualTo("/root/luks.key");
            assertThat(luks.get("maxAgeDays").asInt()).isEqualTo(180);
        } finally {
            server.put("/api/v1/policies/default", Map.of("luksEnabled", false, "luksUnlockKeyFile", ""));
        }
    }
}
