package org.castellan.agent.jit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.castellan.agent.fake.FakeAdminRights;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.state.StateDir;
import org.castellan.protocol.messages.JitGrant;
import org.castellan.protocol.messages.JitReport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's grant store and reconciliation, on a real state directory with hand-written admin rights. */
class JitGrantsTest {
    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-12-02T10:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @TempDir
    Path tmp;
    StateDir dir;
    MovableClock clock = new MovableClock();
    FakeAdminRights rights = new FakeAdminRights();

    @BeforeEach
    void stateDir() throws Exception {
        dir = new StateDir(tmp.resolve("state"));
        dir.create();
    }

    private JitGrants grants() {
        return new JitGrants(new JitStore(dir), rights, clock);
    }

    private Instant in(Duration d) {
        return clock.now.plus(d);
    }

    private static List<String> states(List<JitReport> reports) {
        return reports.stream().map(r -> r.grantId() + ":" + r.state()).toList();
    }

    @Test
    void aListedGrantIsGivenUntilItsEndAndReportedOnceDelivered() throws Exception {
        Instant end = in(Duration.ofHours(2));
        JitGrants jit = grants();

        jit.apply(List.of(new JitGrant("g1", "ann", end)));

        assertThat(rights.granted).containsEntry("ann", end);
        assertThat(states(jit.unsent())).containsExactly("g1:granted");
        jit.apply(List.of(new JitGrant("g1", "ann", end)));
        assertThat(rights.calls).as("a grant already held is not given again").hasSize(1);
        jit.delivered(jit.unsent());
        assertThat(jit.unsent()).isEmpty();
        assertThat(jit.nextExpiry()).contains(end);
    }

    @Test
    void theEndIsKeptAcrossARestartAndEnforcedWithoutTheServer() throws Exception {
        Instant end = in(Duration.ofHours(2));
        grants().apply(List.of(new JitGrant("g1", "ann", end)));

        clock.now = end.minusSeconds(1);
        JitGrants afterRestart = grants();
        afterRestart.sweep();
        assertThat(rights.granted).as("not before its end").containsKey("ann");

        clock.now = end;
        afterRestart.sweep();
        assertThat(rights.granted).isEmpty();
        assertThat(afterRestart.held()).isEmpty();
        assertThat(states(afterRestart.unsent())).containsExactly("g1:granted", "g1:expired");
    }

    @Test
    void aGrantTheServerNoLongerListsIsRevokedEarly() throws Exception {
        JitGrants jit = grants();
        jit.apply(List.of(new JitGrant("g1", "ann", in(Duration.ofHours(2)))));

        jit.apply(List.of());

        assertThat(rights.granted).isEmpty();
        assertThat(states(jit.unsent())).containsExactly("g1:granted", "g1:revoked");
    }

    @Test
    void aServerWithoutJitRightsChangesNothingHeldBeforeItsEnd() throws Exception {
        JitGrants jit = grants();
        jit.apply(List.of(new JitGrant("g1", "ann", in(Duration.ofHours(2)))));

        jit.apply(null);

        assertThat(rights.granted).containsKey("ann");
    }

    @Test
    void twoGrantsForOneUserEndAtTheLaterAndTheRightGoesWithTheLast() throws Exception {
        Instant first = in(Duration.ofHours(1));
        Instant second = in(Duration.ofHours(3));
        JitGrants jit = grants();
        jit.apply(List.of(new JitGrant("g1", "ann", first), new JitGrant("g2", "ann", second)));
        assertThat(rights.granted).containsEntry("ann", second);

        clock.now = first;
        jit.sweep();
        assertThat(rights.granted).as("the other grant still holds").containsEntry("ann", second);

        clock.now = second;
        jit.sweep();
        assertThat(rights.granted).isEmpty();
        assertThat(states(jit.unsent())).containsExactly("g1:granted", "g2:granted", "g1:expired", "g2:expired");
    }

    @Test
    void aUserWhoAlreadyWasAnAdministratorIsLeftOneAtTheEnd() throws Exception {
        rights.alreadyAdmins.add("root-ish");
        JitGrants jit = grants();
        jit.apply(List.of(new JitGrant("g1", "root-ish", in(Duration.ofMinutes(5)))));
        clock.now = in(Duration.ofMinutes(6));

        jit.sweep();

        assertThat(rights.calls).noneMatch(c -> c.startsWith("revoke"));
        assertThat(jit.unsent().get(0).detail()).contains("already was an administrator");
    }

    @Test
    void aFailedGrantIsReportedAndNotHeld() throws Exception {
        rights.grantFailure = new PlatformException("visudo-rejected", "visudo -cf refused the drop-in");
        JitGrants jit = grants();

        jit.apply(List.of(new JitGrant("g1", "ann", in(Duration.ofHours(1)))));

        assertThat(jit.held()).isEmpty();
        assertThat(jit.unsent()).singleElement().satisfies(r -> {
            assertThat(r.state()).isEqualTo(JitReport.FAILED);
            assertThat(r.detail()).startsWith("visudo-rejected");
        });
    }

    @Test
    void aRevokeThatFailsKeepsTheGrantForTheNextSweepAndIsReportedOnce() throws Exception {
        Instant end = in(Duration.ofMinutes(30));
        JitGrants jit = grants();
        jit.apply(List.of(new JitGrant("g1", "ann", end)));
        rights.revokeFailure = new PlatformException("revoke-failed", "cannot remove the drop-in");
        clock.now = end;

        jit.sweep();
        jit.sweep();
        assertThat(jit.held()).hasSize(1);
        assertThat(states(jit.unsent())).containsExactly("g1:granted", "g1:failed");

        rights.revokeFailure = null;
        jit.sweep();
        assertThat(rights.granted).isEmpty();
        assertThat(jit.held()).isEmpty();
        assertThat(states(jit.unsent())).containsExactly("g1:granted", "g1:failed", "g1:expired");
    }

    @Test
    void anAlreadyExpiredGrantInTheListIsNotGiven() throws Exception {
        JitGrants jit = grants();
        jit.apply(List.of(new JitGrant("g1", "ann", clock.now)));
        assertThat(rights.calls).isEmpty();
    }
}
