package org.castellan.server.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.castellan.protocol.AgentPaths;
import org.castellan.protocol.envelope.AssociatedData;
import org.castellan.protocol.envelope.SecretEnvelope;
import org.castellan.protocol.messages.LuksKeyEscrowRequest;
import org.castellan.server.recovery.RecoveryKeyClient;
import org.castellan.server.testing.DbSnapshot;
import org.castellan.server.testing.OneServerPerClass;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.Test;

/**
 * Two escrows from one device at once, each compared with the stored keys before its write
 * ({@link SameKeys}): both are held after their comparison, so the second one's write finds the key
 * the first one stored, which it never judged. It must not open it there (the envelope guard would
 * answer 500), and must not take it for a different key either: it compares again and writes again.
 * The end state is what the two escrows one after the other would leave. On SQLite the writer is
 * held; on PostgreSQL the device's escrow lock.
 */
class EscrowRaceTest extends OneServerPerClass {
    private static final String VOLUME = "\\\\?\\Volume{race-1}\\";
    private static final String PROTECTOR = "{3C3C3C3C-0000-4000-8000-000000000001}";

    private static RecoveryKeyClient.Key key(int seed) {
        return new RecoveryKeyClient.Key(VOLUME, "C:", PROTECTOR, RecoveryKeyClient.numericalPassword(seed));
    }

    @Test
    void twoDifferentKeysRacingUnderOneProtectorLeaveOneCurrentKeyAndTheOthersInHistory() throws Exception {
        TestAgent agent = agent();
        RecoveryKeyClient client = new RecoveryKeyClient(agent);
        assertThat(client.escrow(List.of(), key(40)).status()).isEqualTo(200);

        List<TestServer.Reply> replies = raced(agent, () -> client.escrow(List.of(), key(41)),
                () -> client.escrow(List.of(), key(42)));

        for (TestServer.Reply reply : replies) {
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            assertThat(reply.json().get("stored").asInt()).isEqualTo(1);
            assertThat(reply.json().get("unchanged").asInt()).isZero();
        }
        assertThat(rows(agent, "")).isEqualTo(3);
        assertThat(rows(agent, " AND removed_at IS NULL")).as("one current key for the protector").isEqualTo(1);
        JsonNode keys = server.get("/api/v1/devices/" + agent.deviceId + "/recovery-keys?reason=race").json();
        assertThat(keys).extracting(k -> k.get("recoveryKey").asText()).containsExactlyInAnyOrder(
                key(40).recoveryKey(), key(41).recoveryKey(), key(42).recoveryKey());
        assertThat(keys.get(0).get("removedAt").isNull()).isTrue();
        assertThat(keys.get(0).get("recoveryKey").asText()).isIn(key(41).recoveryKey(), key(42).recoveryKey());
        assertThat(escrowAudit(agent, "recovery-key.escrow")).containsExactly(
                "stored 1, unchanged 0, removed 0, unprotected volumes 0",
                "stored 1, unchanged 0, removed 1, unprotected volumes 0",
                "stored 1, unchanged 0, removed 1, unprotected volumes 0");
    }

    @Test
    void twoEscrowsOfTheSameKeyRacingStoreItOnceAndFindItUnchanged() throws Exception {
        TestAgent agent = agent();
        RecoveryKeyClient client = new RecoveryKeyClient(agent);

        List<TestServer.Reply> replies = raced(agent, () -> client.escrow(List.of(), key(43)),
                () -> client.escrow(List.of(), key(43)));

        assertThat(replies).extracting(TestServer.Reply::status).containsExactly(200, 200);
        assertThat(replies).extracting(r -> r.json().get("stored").asInt() + "/" + r.json().get("unchanged").asInt())
                .containsExactlyInAnyOrder("1/0", "0/1");
        assertThat(rows(agent, "")).as("stored once, not once per escrow").isEqualTo(1);
        assertThat(rows(agent, " AND removed_at IS NULL")).isEqualTo(1);
        assertThat(escrowAudit(agent, "recovery-key.escrow")).containsExactlyInAnyOrder(
                "stored 1, unchanged 0, removed 0, unprotected volumes 0",
                "stored 0, unchanged 1, removed 0, unprotected volumes 0");
    }

    @Test
    void twoIdenticalLuksEscrowsRacingStoreOnePendingKey() throws Exception {
        TestAgent agent = agent();
        String volume = "4f3c2b1a-0000-4000-8000-0000000000aa";
        String protector = "castellan-race";
        Callable<TestServer.Reply> escrow = () -> agent.post(AgentPaths.LUKS_KEYS, new LuksKeyEscrowRequest(volume,
                "/dev/vda3", protector, SecretEnvelope.seal(agent.vaultKey,
                        AssociatedData.forRecoveryKey(agent.deviceId, volume, protector),
                        "one passphrase".getBytes(StandardCharsets.UTF_8))));

        List<TestServer.Reply> replies = raced(agent, escrow, escrow);

        for (TestServer.Reply reply : replies) {
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            assertThat(reply.json().get("state").asText()).isEqualTo("pending");
        }
        assertThat(rows(agent, "")).isEqualTo(1);
        assertThat(escrowAudit(agent, "luks-key.escrow")).hasSize(1);
    }

    @SafeVarargs
    private static List<TestServer.Reply> raced(TestAgent agent, Callable<TestServer.Reply>... escrows) throws Exception {
        return RacedWrites.race(server.server.database(), dataDir, SameKeys.lockKey(agent.deviceId),
                Set.of(RecoveryKeyEscrowHandler.class, LuksKeyHandlers.class), escrows);
    }

    private static long rows(TestAgent agent, String and) {
        return DbSnapshot.count(dataDir, "SELECT COUNT(*) FROM recovery_keys WHERE device_id = '" + agent.deviceId + "'"
                + and);
    }

    /** The details of the device's audit rows of {@code action} (outcome ok), oldest first. */
    private static List<String> escrowAudit(TestAgent agent, String action) throws Exception {
        List<String> details = new ArrayList<>();
        try (Connection c = DbSnapshot.open(dataDir);
             PreparedStatement st = c.prepareStatement("SELECT detail FROM audit_log WHERE device_id = ?"
                     + " AND action = ? AND outcome = 'ok' ORDER BY id")) {
            st.setString(1, agent.deviceId);
            st.setString(2, action);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    details.add(rs.getString(1));
                }
            }
        }
        return details;
    }
}
