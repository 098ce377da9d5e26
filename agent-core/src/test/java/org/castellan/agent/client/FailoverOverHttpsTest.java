package org.castellan.agent.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import org.castellan.agent.fake.FakeAccounts;
import org.castellan.agent.fake.FakeServer;
import org.castellan.agent.password.PasswordGenerator;
import org.castellan.agent.rotation.RotationEngine;
import org.castellan.agent.state.RotationJournal;
import org.castellan.agent.state.StateDir;
import org.castellan.protocol.AgentPaths;
import org.castellan.protocol.messages.AccountOptions;
import org.castellan.protocol.messages.AgentPolicy;
import org.castellan.protocol.messages.CheckInRequest;
import org.castellan.protocol.signing.DeviceKeyPair;
import org.castellan.protocol.tls.Fingerprints;
import org.castellan.protocol.tls.PinnedTrust;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The agent's failover over real HTTPS: two nodes (real TLS servers on their own ports, pinned by
 * one certificate) in front of one shared store, the real {@link ServerClient}s behind
 * {@link FailoverServerApi}, and the real rotation state machine. A node that answers 503, one
 * that is stopped, and one that dies in the middle of a rotation's escrow or commit: the agent
 * carries on through the other node and the password the store reveals is the one the account has.
 */
class FailoverOverHttpsTest {
    private static final AgentPolicy POLICY = new AgentPolicy("", 24, "full", 0, false, 30, 3600, AccountOptions.NONE);
    private static final CheckInRequest CHECK_IN = new CheckInRequest("host", "os 1", "0.1", "root", null, List.of());
    private static SelfSignedTls tls;

    @TempDir
    Path tmp;
    FakeServer store;
    FakeAccounts accounts;
    HttpsNode a;
    HttpsNode b;
    FailoverServerApi api;

    @BeforeAll
    static void certificate() throws Exception {
        tls = new SelfSignedTls();
    }

    @BeforeEach
    void twoNodes() throws Exception {
        store = new FakeServer("device-1");
        accounts = new FakeAccounts();
        store.committedPassword = accounts.password;
        store.committedAccount = "root";
        a = new HttpsNode(tls, store);
        b = new HttpsNode(tls, store);
        PinnedTrust trust = PinnedTrust.pinned(Fingerprints.sha256Hex(tls.certificate()));
        DeviceKeyPair key = DeviceKeyPair.generate(new SecureRandom());
        api = new FailoverServerApi(List.of(
                new ServerClient(a.url, trust, key, store.deviceId, Clock.systemUTC()),
                new ServerClient(b.url, trust, key, store.deviceId, Clock.systemUTC())));
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    private void rotate() throws Exception {
        StateDir dir = new StateDir(tmp.resolve("state"));
        dir.create();
        new RotationEngine(api, accounts, new RotationJournal(dir), new PasswordGenerator(new SecureRandom()),
                store.deviceId, Clock.systemUTC()).rotate(FakeAccounts.ROOT, POLICY, store.vaultKey());
    }

    @Test
    void aNodeAnswering503IsPassedOverForTheNextAndTheNextStaysPreferred() throws Exception {
        a.mode = HttpsNode.Mode.UNAVAILABLE;

        assertThat(api.checkIn(CHECK_IN)).isNotNull();
        assertThat(a.received).containsExactly(AgentPaths.CHECK_IN);
        assertThat(b.received).containsExactly(AgentPaths.CHECK_IN);

        a.mode = HttpsNode.Mode.SERVING;
        api.checkIn(CHECK_IN);
        assertThat(a.received).as("the node that answered is tried first").hasSize(1);
        assertThat(b.received).hasSize(2);
    }

    @Test
    void aStoppedNodeIsPassedOverForTheNext() throws Exception {
        a.stop();

        assertThat(api.checkIn(CHECK_IN)).isNotNull();
        assertThat(b.received).containsExactly(AgentPaths.CHECK_IN);
    }

    @Test
    void whenEveryNodeAnswers503TheErrorSaysSoAndIsNotADefiniteRefusal() {
        a.mode = HttpsNode.Mode.UNAVAILABLE;
        b.stop();

        assertThatThrownBy(() -> api.checkIn(CHECK_IN)).isInstanceOfSatisfying(ServerException.class, e -> {
            assertThat(e.isDefiniteRefusal()).isFalse();
            assertThat(e.getMessage()).contains("none of the 2 servers").contains("database-unavailable")
                    .contains(ServerException.UNREACHABLE);
        });
        b.close();
    }

    @Test
    void aRefusalOtherThan503IsFinal() {
        store.escrowFailure = new ServerException(409, "rotation-conflict", "escrowed with a different password");

        assertThatThrownBy(this::rotate).hasMessageContaining("rotation-conflict");
        assertThat(a.received).contains(AgentPaths.ROTATIONS);
        assertThat(b.received).as("a definite answer is not asked again elsewhere").isEmpty();
        assertThat(accounts.password).isEqualTo("initial-password");
    }

    @Test
    void anEscrowAnswered503ByOneNodeIsTakenByTheOtherAndTheRotationCompletes() throws Exception {
        a.mode = HttpsNode.Mode.UNAVAILABLE;

        rotate();

        assertThat(accounts.password).isNotEqualTo("initial-password");
        assertThat(store.committedPassword()).isEqualTo(accounts.password);
        assertThat(b.received).containsExactly(AgentPaths.ROTATIONS, AgentPaths.ROTATIONS + "/"
                + store.rotations.keySet().iterator().next() + "/commit");
    }

    /**
     * Promise 1 across nodes: node A dies at each point of the escrow and the commit (before or
     * after its store took the write, the caller hearing nothing either way); the agent finishes
     * the rotation through node B, and what the store reveals is what the account has.
     */
    @ParameterizedTest
    @EnumSource(FakeServer.Point.class)
    void whenTheNodeDiesMidRotationTheOtherFinishesItAndThePasswordIsNeverLost(FakeServer.Point point)
            throws Exception {
        store.crashAt = point;

        rotate();

        assertThat(a.stopped()).as("node A died at " + point).isTrue();
        assertThat(accounts.password).isNotEqualTo("initial-password");
        assertThat(store.committedPassword()).as("revealed password = the account's").isEqualTo(accounts.password);
        assertThat(store.rotations).hasSize(1);
        assertThat(store.rotations.values().iterator().next().state).isEqualTo("committed");
        assertThat(b.received).as("node B took the rest of the rotation").isNotEmpty();
    }
}
