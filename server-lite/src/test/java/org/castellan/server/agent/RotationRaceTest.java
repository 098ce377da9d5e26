package org.castellan.server.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.castellan.protocol.AgentPaths;
import org.castellan.protocol.envelope.Envelope;
import org.castellan.protocol.messages.EscrowRequest;
import org.castellan.server.testing.DbSnapshot;
import org.castellan.server.testing.OneServerPerClass;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.Test;

/**
 * Two rotation writes of one device at once, each having to decide from the rotation's state
 * (escrow: is it stored already? commit and abort: is it still pending?). Both are held just
 * before they read it, then let go: the outcome must be what the two one after the other leave,
 * never both deciding from the same state. On SQLite the writer holds them, on PostgreSQL the
 * device's rotation lock (an agent retrying on a second node while its first try still runs).
 */
class RotationRaceTest extends OneServerPerClass {
    private static final String ACCOUNT = "castellan-admin";

    @Test
    void aRetriedEscrowRacingItsFirstTryStoresTheRotationOnceAndAnswersBoth() throws Exception {
        TestAgent agent = agent();
        String rotationId = UUID.randomUUID().toString();
        Envelope envelope = agent.seal(ACCOUNT, rotationId, "Retried-Passw0rd!");
        Callable<TestServer.Reply> escrow = () -> agent.post(AgentPaths.ROTATIONS,
                new EscrowRequest(rotationId, ACCOUNT, envelope)); // the same body, as a retry sends it

        List<TestServer.Reply> replies = raced(agent, escrow, escrow);

        assertThat(replies).extracting(TestServer.Reply::status).as(replies.toString())
                .containsExactlyInAnyOrder(201, 200);
        for (TestServer.Reply reply : replies) {
            assertThat(reply.json().get("state").asText()).isEqualTo("pending");
        }
        assertThat(rotations(agent, "")).as("stored once").isEqualTo(1);
        assertThat(audited(agent, "rotation.escrow")).isEqualTo(1);
        assertThat(agent.commit(rotationId).status()).isEqualTo(200);
    }

    @Test
    void aCommitAndAnAbortRacingLeaveTheStateOfWhicheverRanFirstAndRefuseTheOther() throws Exception {
        TestAgent agent = agent();
        String rotationId = UUID.randomUUID().toString();
        assertThat(agent.escrow(ACCOUNT, rotationId, "Raced-Passw0rd!").status()).isEqualTo(201);

        List<TestServer.Reply> replies = raced(agent, () -> agent.commit(rotationId),
                () -> agent.abort(rotationId, "chpasswd failed"));
        TestServer.Reply commit = replies.get(0);
        TestServer.Reply abort = replies.get(1);

        assertThat(List.of(commit.status(), abort.status())).as(replies.toString()).containsExactlyInAnyOrder(200, 409);
        if (commit.status() == 200) {
            assertThat(abort.json().get("error").asText()).isEqualTo("rotation-committed");
            assertThat(rotations(agent, " AND state = 'committed' AND aborted_at IS NULL")).isEqualTo(1);
        } else {
            assertThat(commit.json().get("error").asText()).isEqualTo("rotation-aborted");
            assertThat(rotations(agent, " AND state = 'aborted' AND committed_at IS NULL")).isEqualTo(1);
        }
        assertThat(audited(agent, "rotation.commit") + audited(agent, "rotation.abort"))
                .as("one of the two was recorded").isEqualTo(1);
    }

    @Test
    void twoCommitsOfOneRotationRacingCommitItOnce() throws Exception {
        TestAgent agent = agent();
        String rotationId = UUID.randomUUID().toString();
        assertThat(agent.escrow(ACCOUNT, rotationId, "Twice-Passw0rd!").status()).isEqualTo(201);

        List<TestServer.Reply> replies = raced(agent, () -> agent.commit(rotationId), () -> agent.commit(rotationId));

        assertThat(replies).extracting(TestServer.Reply::status).as(replies.toString()).containsExactly(200, 200);
        assertThat(rotations(agent, " AND state = 'committed'")).isEqualTo(1);
        assertThat(audited(agent, "rotation.commit")).as("committed once, not once per request").isEqualTo(1);
    }

    @SafeVarargs
    private static List<TestServer.Reply> raced(TestAgent agent, Callable<TestServer.Reply>... writes) throws Exception {
        return RacedWrites.race(server.server.database(), dataDir, RotationHandlers.lockKey(agent.deviceId),
                Set.of(RotationHandlers.class), writes);
    }

    private static long rotations(TestAgent agent, String and) {
        return DbSnapshot.count(dataDir, "SELECT COUNT(*) FROM rotations WHERE device_id = '" + agent.deviceId + "'" + and);
    }

    private static long audited(TestAgent agent, String action) {
        return DbSnapshot.count(dataDir, "SELECT COUNT(*) FROM audit_log WHERE device_id = '" + agent.deviceId
                + "' AND action = '" + action + "' AND outcome = 'ok'");
    }
}
