package org.castellan.agent.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import org.castellan.agent.AgentException;
import org.castellan.agent.client.ServerException;
import org.castellan.agent.fake.CrashingJournal;
import org.castellan.agent.fake.FakeAccounts;
import org.castellan.agent.fake.FakeServer;
import org.castellan.agent.fake.SecretScan;
import org.castellan.agent.fake.SimulatedCrash;
import org.castellan.agent.password.PasswordGenerator;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.state.JournalEntry;
import org.castellan.agent.state.JournalEntry.Step;
import org.castellan.agent.state.RotationJournal;
import org.castellan.agent.state.StateDir;
import org.castellan.protocol.messages.AccountOptions;
import org.castellan.protocol.messages.AgentPolicy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RotationEngineTest {
    private static final AgentPolicy POLICY = new AgentPolicy("", 24, "full", 0, false, 30, 3600, AccountOptions.NONE);

    @TempDir
    Path tmp;
    StateDir dir;
    FakeServer server;
    FakeAccounts accounts;

    @BeforeEach
    void setUp() throws Exception {
        dir = new StateDir(tmp.resolve("state"));
        dir.create();
        server = new FakeServer("device-1");
        accounts = new FakeAccounts();
        // The device starts in sync: the server reveals the password the account has.
        server.committedPassword = accounts.password;
        server.committedAccount = "root";
    }

    private RotationEngine engine(RotationJournal journal) {
        return new RotationEngine(server, accounts, journal, new PasswordGenerator(new SecureRandom()),
                server.deviceId, Clock.systemUTC());
    }

    private RotationEngine engine() {
        return engine(new RotationJournal(dir));
    }

    private void rotate(RotationEngine engine) throws AgentException {
        engine.rotate(FakeAccounts.ROOT, POLICY, server.vaultKey());
    }

    private boolean journalExists() {
        return dir.exists(RotationJournal.FILE);
    }

    @Test
    void rotationSetsTheEscrowedPasswordAndCommitsIt() throws Exception {
        rotate(engine());

        assertThat(accounts.password).isNotEqualTo("initial-password").hasSize(24);
        assertThat(server.committedPassword()).isEqualTo(accounts.password);
        assertThat(server.calls).containsExactly("escrow", "commit");
        assertThat(journalExists()).isFalse();
        assertThat(SecretScan.filesContaining(tmp, accounts.password)).isEmpty();
    }

    @Test
    void escrowRefusedLeavesPasswordUntouchedAndClearsJournal() {
        server.escrowFailure = new ServerException(409, "rotation-conflict", "rotation exists with another envelope");

        assertThatThrownBy(() -> rotate(engine()))
                .isInstanceOf(AgentException.class)
                .hasMessage("escrow password for account root: server returned 409 rotation-conflict: "
                        + "rotation exists with another envelope");

        assertThat(accounts.setCalls).isZero();
        assertThat(accounts.password).isEqualTo("initial-password");
        assertThat(server.committedPassword()).isEqualTo("initial-password");
        assertThat(journalExists()).isFalse();
    }

    @Test
    void escrowUnreachableLeavesPasswordUntouched() {
        server.unreachable = true;

        assertThatThrownBy(() -> rotate(engine())).hasMessageStartingWith("escrow password for account root: server-unreachable");

        assertThat(accounts.setCalls).isZero();
        assertThat(journalExists()).isFalse();
    }

    @Test
    void failedSetIsAbortedAndPasswordStaysWhatTheServerReveals() {
        accounts.setFailure = new PlatformException("set-password-failed", "chpasswd exited with status 1: authentication token manipulation error");

        assertThatThrownBy(() -> rotate(engine()))
                .hasMessageContaining("set password for account root (rotation aborted, password unchanged)")
                .hasMessageContaining("chpasswd exited with status 1");

        assertThat(accounts.password).isEqualTo("initial-password");
        assertThat(server.committedPassword()).isEqualTo("initial-password");
        assertThat(server.rotations.values()).singleElement().extracting(r -> r.state).isEqualTo("aborted");
        assertThat(journalExists()).isFalse();
    }

    @Test
    void setThatFailsButChangesThePasswordIsCommittedNotAborted() {
        accounts.setFailure = new PlatformException("set-password-failed", "tool reported an error");
        accounts.failAfterChange = true;

        assertThatThrownBy(() -> rotate(engine())).hasMessageContaining("the password did change");

        assertThat(accounts.password).isNotEqualTo("initial-password");
        assertThat(server.committedPassword()).isEqualTo(accounts.password);
        assertThat(journalExists()).isFalse();
    }

    @Test
    void failedSetWhoseOutcomeIsUnknownStaysJournaledForTheNextRun() throws Exception {
        accounts.setFailure = new PlatformException("set-password-failed", "tool reported an error");
        accounts.failAfterChange = true;
        RotationEngine engine = new RotationEngine(server, new MarkerFailsAfterSet(accounts), new RotationJournal(dir),
                new PasswordGenerator(new SecureRandom()), server.deviceId, Clock.systemUTC());

        assertThatThrownBy(() -> rotate(engine)).hasMessageContaining("could not tell whether it changed");
        assertThat(new RotationJournal(dir).read()).get().extracting(JournalEntry::step).isEqualTo(Step.SETTING);

        // The password did change, but the run that set it could not prove it: not committed.
        assertThat(engine().resolvePending()).isEqualTo(Recovery.UNVERIFIED);
        assertThat(server.pendingPasswords()).contains(accounts.password);
        assertThat(server.committedPassword()).isEqualTo("initial-password");
    }

    /** Every point at which the process can die during a rotation, and what recovery must do. */
    enum Crash {
        AFTER_JOURNAL_GENERATED(Recovery.ABORTED),
        ESCROW_BEFORE_SERVER_STORES(Recovery.ABORTED),
        ESCROW_AFTER_SERVER_STORES(Recovery.ABORTED),
        AFTER_JOURNAL_ESCROWED(Recovery.ABORTED),
        READING_MARKER(Recovery.ABORTED),
        AFTER_JOURNAL_SETTING(Recovery.ABORTED),
        SET_BEFORE_PASSWORD_CHANGES(Recovery.ABORTED),
        SET_AFTER_PASSWORD_CHANGES(Recovery.UNVERIFIED),
        AFTER_JOURNAL_SET(Recovery.COMMITTED),
        COMMIT_BEFORE_SERVER_STORES(Recovery.COMMITTED),
        COMMIT_AFTER_SERVER_STORES(Recovery.COMMITTED);

        final Recovery expected;

        Crash(Recovery expected) {
            this.expected = expected;
        }
    }

    @ParameterizedTest
    @EnumSource(Crash.class)
    void crashAtAnyStepIsResolvedByTheNextRunSoTheServerRevealsTheWorkingPassword(Crash crash) throws Exception {
        RotationJournal journal = new RotationJournal(dir);
        switch (crash) {
            case AFTER_JOURNAL_GENERATED -> journal = new CrashingJournal(dir, Step.GENERATED);
            case ESCROW_BEFORE_SERVER_STORES -> server.crashAt = FakeServer.Point.ESCROW_BEFORE_STORE;
            case ESCROW_AFTER_SERVER_STORES -> server.crashAt = FakeServer.Point.ESCROW_AFTER_STORE;
            case AFTER_JOURNAL_ESCROWED -> journal = new CrashingJournal(dir, Step.ESCROWED);
            case READING_MARKER -> accounts.crashAt = FakeAccounts.Point.MARKER;
            case AFTER_JOURNAL_SETTING -> journal = new CrashingJournal(dir, Step.SETTING);
            case SET_BEFORE_PASSWORD_CHANGES -> accounts.crashAt = FakeAccounts.Point.SET_BEFORE_CHANGE;
            case SET_AFTER_PASSWORD_CHANGES -> accounts.crashAt = FakeAccounts.Point.SET_AFTER_CHANGE;
            case AFTER_JOURNAL_SET -> journal = new CrashingJournal(dir, Step.SET);
            case COMMIT_BEFORE_SERVER_STORES -> server.crashAt = FakeServer.Point.COMMIT_BEFORE_STORE;
            case COMMIT_AFTER_SERVER_STORES -> server.crashAt = FakeServer.Point.COMMIT_AFTER_STORE;
        }
        RotationEngine dying = engine(journal);

        assertThatThrownBy(() -> rotate(dying)).isInstanceOf(SimulatedCrash.class);

        // Between crash and recovery the server can still hand out a password that works: the
        // committed one, or one it shows as pending ("may be in use").
        assertThat(journalExists()).isTrue();
        assertThat(accounts.password).isIn(union(server.committedPassword(), server.pendingPasswords()));
        assertThat(SecretScan.filesContaining(tmp, accounts.password)).isEmpty();
        server.pendingPasswords().forEach(p -> assertThat(SecretScan.filesContaining(tmp, p)).isEmpty());

        Recovery recovery = engine().resolvePending();

        assertThat(recovery).isEqualTo(crash.expected);
        if (crash.expected == Recovery.UNVERIFIED) {
            // Set but never proven: neither committed nor aborted, both still revealed, and the
            // record kept until a proven rotation supersedes it.
            assertThat(server.pendingPasswords()).contains(accounts.password);
            assertThat(server.committedPassword()).isEqualTo("initial-password");
            assertThat(new RotationJournal(dir).read()).get().extracting(JournalEntry::step).isEqualTo(Step.UNVERIFIED);
            rotate(engine());
            assertThat(accounts.password).isEqualTo(server.committedPassword()).isNotEqualTo("initial-password");
            assertThat(journalExists()).isFalse();
            return;
        }
        assertThat(accounts.password).isEqualTo(server.committedPassword());
        assertThat(journalExists()).isFalse();
        if (crash.expected == Recovery.ABORTED) {
            assertThat(accounts.password).isEqualTo("initial-password");
        } else {
            assertThat(accounts.password).isNotEqualTo("initial-password");
        }

        // And the agent carries on rotating normally afterwards.
        rotate(engine());
        assertThat(accounts.password).isEqualTo(server.committedPassword()).isNotEqualTo("initial-password");
    }

    @Test
    void unreachableServerDuringRecoveryKeepsTheJournalAndBlocksNewRotations() throws Exception {
        RotationEngine dying = engine(new CrashingJournal(dir, Step.SET));
        assertThatThrownBy(() -> rotate(dying)).isInstanceOf(SimulatedCrash.class);
        server.unreachable = true;

        assertThatThrownBy(() -> engine().resolvePending())
                .isInstanceOf(AgentException.class)
                .hasMessageContaining("resolve unfinished rotation")
                .hasMessageContaining("server-unreachable");
        assertThat(new RotationJournal(dir).read()).get().extracting(JournalEntry::step).isEqualTo(Step.SET);
        assertThatThrownBy(() -> rotate(engine())).hasMessageContaining("must be resolved first");

        server.unreachable = false;
        assertThat(engine().resolvePending()).isEqualTo(Recovery.COMMITTED);
        assertThat(accounts.password).isEqualTo(server.committedPassword());
    }

    @Test
    void commitRefusedDuringRecoveryAsksForARepairRotation() throws Exception {
        RotationEngine dying = engine(new CrashingJournal(dir, Step.SET));
        assertThatThrownBy(() -> rotate(dying)).isInstanceOf(SimulatedCrash.class);
        server.commitFailure = new ServerException(409, "rotation-aborted", "an admin aborted it");

        assertThat(engine().resolvePending()).isEqualTo(Recovery.REPAIR_NEEDED);
        assertThat(journalExists()).isFalse();

        server.commitFailure = null;
        rotate(engine());
        assertThat(accounts.password).isEqualTo(server.committedPassword());
    }

    @Test
    void abortOfAnEscrowTheServerNeverReceivedCountsAsAborted() throws Exception {
        server.crashAt = FakeServer.Point.ESCROW_BEFORE_STORE;
        assertThatThrownBy(() -> rotate(engine())).isInstanceOf(SimulatedCrash.class);

        assertThat(engine().resolvePending()).isEqualTo(Recovery.ABORTED);
        assertThat(server.rotations).isEmpty();
    }

    @Test
    void passwordIsCheckedAfterTheSetAndOnlyThenCommitted() throws Exception {
        rotate(engine());

        assertThat(accounts.checks).containsExactly("proven");
        assertThat(server.calls).containsSubsequence("escrow", "commit");
    }

    @Test
    void checkThatFailsOnceSetsTheSamePasswordAgainAndCommitsWhenTheSecondCheckProvesIt() throws Exception {
        accounts.checksThatFail = 1;

        rotate(engine());

        assertThat(accounts.setCalls).isEqualTo(2);
        assertThat(accounts.passwordsSeen).hasSize(2).allMatch(p -> p.equals(accounts.passwordsSeen.get(0)));
        assertThat(accounts.checks).containsExactly("failed", "proven");
        assertThat(server.committedPassword()).isEqualTo(accounts.password).isNotEqualTo("initial-password");
        assertThat(journalExists()).isFalse();
    }

    @Test
    void setThatSucceedsButNeverAuthenticatesStaysPendingWithBothPasswordsRevealedAndIsNeverCommitted() throws Exception {
        accounts.checksThatFail = Integer.MAX_VALUE;

        assertThatThrownBy(() -> rotate(engine()))
                .hasMessageContaining("set password for account root: the new password does not authenticate")
                .hasMessageContaining("after setting it again")
                .hasMessageContaining("neither committed nor aborted")
                .hasMessageNotContaining(accounts.password);

        assertThat(accounts.setCalls).as("set, then the same password set again").isEqualTo(2);
        assertThat(server.calls).doesNotContain("commit", "abort");
        assertThat(server.committedPassword()).as("the previous password is still revealed").isEqualTo("initial-password");
        assertThat(server.pendingPasswords()).as("and the pending one beside it").containsExactly(accounts.password);
        assertThat(new RotationJournal(dir).read()).get().extracting(JournalEntry::step).isEqualTo(Step.UNVERIFIED);

        // The next run neither commits nor aborts it; it asks for a rotation whose commit replaces it.
        assertThat(engine().resolvePending()).isEqualTo(Recovery.UNVERIFIED);
        assertThat(server.calls).doesNotContain("commit", "abort");
        accounts.checksThatFail = 0;
        rotate(engine());
        assertThat(server.committedPassword()).isEqualTo(accounts.password);
        assertThat(journalExists()).isFalse();
    }

    @Test
    void unverifiedRecordSurvivesAReplacementWhoseEscrowFails() throws Exception {
        accounts.checksThatFail = Integer.MAX_VALUE;
        assertThatThrownBy(() -> rotate(engine())).hasMessageContaining("does not authenticate");
        String unverifiedId = new RotationJournal(dir).read().orElseThrow().rotationId();
        accounts.checksThatFail = 0;
        server.unreachable = true;

        assertThatThrownBy(() -> rotate(engine())).hasMessageContaining("escrow password");

        assertThat(new RotationJournal(dir).read()).get().satisfies(e -> {
            assertThat(e.step()).isEqualTo(Step.UNVERIFIED);
            assertThat(e.rotationId()).isEqualTo(unverifiedId);
        });
    }

    @Test
    void setThatReportsAnErrorButChangedThePasswordIsCommittedOnlyIfProven() {
        accounts.setFailure = new PlatformException("set-password-failed", "tool reported an error");
        accounts.failAfterChange = true;
        accounts.checksThatFail = Integer.MAX_VALUE;

        assertThatThrownBy(() -> rotate(engine())).hasMessageContaining("does not authenticate");

        assertThat(server.calls).doesNotContain("commit", "abort");
        assertThat(server.pendingPasswords()).contains(accounts.password);
    }

    @Test
    void nothingPendingWhenNoJournal() throws Exception {
        assertThat(engine().resolvePending()).isEqualTo(Recovery.NOTHING_PENDING);
        assertThat(server.calls).isEmpty();
    }

    @Test
    void invalidPolicyFailsBeforeAnythingIsSent() {
        AgentPolicy tooShort = new AgentPolicy("", 4, "full", 0, false, 30, 3600, AccountOptions.NONE);

        assertThatThrownBy(() -> engine().rotate(FakeAccounts.ROOT, tooShort, server.vaultKey()))
                .hasMessageContaining("generate password for account root: policy length 4");
        assertThat(server.calls).isEmpty();
        assertThat(journalExists()).isFalse();
    }

    private static List<String> union(String one, List<String> more) {
        List<String> all = new java.util.ArrayList<>(more);
        all.add(one);
        return all;
    }

    /** Delegates to the fake, but the marker cannot be read once a set was attempted. */
    private static final class MarkerFailsAfterSet implements org.castellan.agent.spi.AccountManager {
        private final FakeAccounts delegate;

        MarkerFailsAfterSet(FakeAccounts delegate) {
            this.delegate = delegate;
        }

        @Override
        public org.castellan.agent.spi.ManagedAccount resolve(String policyAccount) throws PlatformException {
            return delegate.resolve(policyAccount);
        }

        @Override
        public String passwordMarker(org.castellan.agent.spi.ManagedAccount account) throws PlatformException {
            if (delegate.setCalls > 0) {
                throw new PlatformException("marker-unavailable", "shadow file unreadable");
            }
            return delegate.passwordMarker(account);
        }

        @Override
        public void setPassword(org.castellan.agent.spi.ManagedAccount account, org.castellan.protocol.Secret p)
                throws PlatformException {
            delegate.setPassword(account, p);
        }

        @Override
        public org.castellan.agent.spi.PasswordCheck verifyPassword(org.castellan.agent.spi.ManagedAccount account,
                org.castellan.protocol.Secret p) {
            return delegate.verifyPassword(account, p);
        }
    }
}
