package org.castellan.agent.luks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.castellan.agent.client.ServerApi;
import org.castellan.agent.client.ServerException;
import org.castellan.agent.password.PasswordGenerator;
import org.castellan.agent.spi.LuksHeader;
import org.castellan.agent.spi.LuksToken;
import org.castellan.agent.spi.LuksVolume;
import org.castellan.agent.spi.LuksVolumes;
import org.castellan.agent.state.StateDir;
import org.castellan.protocol.Secret;
import org.castellan.protocol.envelope.VaultKeyPair;
import org.castellan.protocol.messages.CheckInRequest;
import org.castellan.protocol.messages.CheckInResponse;
import org.castellan.protocol.messages.EscrowRequest;
import org.castellan.protocol.messages.EscrowResponse;
import org.castellan.protocol.messages.LuksKeyEscrowRequest;
import org.castellan.protocol.messages.LuksKeyRef;
import org.castellan.protocol.messages.LuksKeyState;
import org.castellan.protocol.messages.LuksPolicy;
import org.castellan.protocol.messages.RecoveryKeyEscrowRequest;
import org.castellan.protocol.messages.RecoveryKeyEscrowResponse;
import org.castellan.protocol.messages.RegisterRequest;
import org.castellan.protocol.messages.RegisterResponse;
import org.castellan.protocol.messages.RotationOutcome;
import org.castellan.protocol.messages.RotationStateResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the keeper does with a journal left by a crash, and when a key is due, on an in-memory header (the real
 * cryptsetup runs in agent-linux's LuksKeyKeeperImageTest and the end-to-end test): which slots it
 * may remove, and that it never removes one it cannot prove is its own.
 */
class LuksKeyKeeperRecoveryTest {
    private static final LuksVolume VOLUME = new LuksVolume("uuid-1", "/dev/vda3");

    @TempDir Path tmp;
    StateDir dir;
    LuksJournal journal;
    MemoryVolumes volumes;
    RecordingServer server;
    Path unlockKey;

    @BeforeEach
    void setUp() throws Exception {
        dir = new StateDir(tmp);
        journal = new LuksJournal(dir);
        volumes = new MemoryVolumes();
        server = new RecordingServer();
        unlockKey = Files.writeString(tmp.resolve("unlock.key"), "k");
    }

    private LuksKeyKeeper.Outcome run(boolean enabled) {
        return new LuksKeyKeeper(volumes, server, journal, new PasswordGenerator(new SecureRandom()), "dev-1",
                Clock.systemUTC()).withVaultKey(VaultKeyPair.generate("v", new SecureRandom()).publicKey())
                .run(new LuksPolicy(enabled, unlockKey.toString(), 180), List.of());
    }

    private LuksJournalEntry entry(String step, int slot) {
        return new LuksJournalEntry(step, VOLUME.uuid(), VOLUME.device(), slot, "castellan-new", List.of());
    }

    @Test
    void aSlotTakenByAnotherKeyAfterAnInterruptedEscrowIsNotRemoved() throws Exception {
        journal.write(entry(LuksJournalEntry.ESCROWING, 1));
        volumes.active.add(1); // someone else added a key into slot 1 after the crash, without a token

        LuksKeyKeeper.Outcome outcome = run(false);

        assertThat(volumes.removed).isEmpty();
        assertThat(server.calls).containsExactly("retire castellan-new");
        assertThat(journal.read()).isEmpty();
        assertThat(outcome.warnings()).isEmpty();
    }

    @Test
    void aTokenlessSlotLeftWhileAddingIsRemovedButNotOneWithAForeignToken() throws Exception {
        journal.write(entry(LuksJournalEntry.ADDING, 1));
        volumes.active.add(1);
        run(false);
        assertThat(volumes.removed).containsExactly(1);

        journal.write(entry(LuksJournalEntry.ADDING, 2));
        volumes.active.add(2);
        volumes.tokens.add(new LuksToken(0, "systemd-tpm2", List.of(2), null, null));
        run(false);
        assertThat(volumes.removed).as("slot 2 carries someone else's token").containsExactly(1);
        assertThat(volumes.active).contains(2);
    }

    @Test
    void anInterruptedChangeIsResolvedEvenWhenThePolicyNoLongerEnablesLuksButNothingNewIsAdded() throws Exception {
        journal.write(entry(LuksJournalEntry.ADDING, 1));
        volumes.active.add(1);
        volumes.tokens.add(new LuksToken(0, LuksToken.TYPE, List.of(1), "castellan-new", null));

        run(false);

        assertThat(volumes.removed).containsExactly(1);
        assertThat(volumes.tokens).isEmpty();
        assertThat(server.calls).containsExactly("retire castellan-new");
        assertThat(volumes.added).isEmpty();
    }

    @Test
    void aCommittedChangeIsFinishedByRemovingOnlyTheOldCastellanSlot() throws Exception {
        volumes.active.addAll(List.of(1, 2));
        volumes.tokens.add(new LuksToken(0, LuksToken.TYPE, List.of(1), "castellan-old", null));
        volumes.tokens.add(new LuksToken(1, LuksToken.TYPE, List.of(2), "castellan-new", java.time.Instant.now()));
        journal.write(new LuksJournalEntry(LuksJournalEntry.COMMITTED, VOLUME.uuid(), VOLUME.device(), 2, "castellan-new",
                List.of(new LuksJournalEntry.Replaced(1, 0, "castellan-old"))));

        run(true);

        assertThat(volumes.removed).containsExactly(1);
        assertThat(volumes.active).containsExactly(0, 2);
        assertThat(server.calls).containsExactly("retire castellan-old");
        assertThat(journal.read()).isEmpty();
        assertThat(volumes.added).as("the new slot is current: nothing more to do").isEmpty();
    }

    @Test
    void aCastellanSlotOlderThanMaxAgeIsReplacedAndAYoungOneIsLeftAlone() throws Exception {
        volumes.active.add(1);
        volumes.tokens.add(new LuksToken(0, LuksToken.TYPE, List.of(1), "castellan-young",
                java.time.Instant.now().minus(java.time.Duration.ofDays(179))));
        run(true);
        assertThat(volumes.added).isEmpty();
        assertThat(server.calls).isEmpty();

        volumes.tokens.clear();
        volumes.tokens.add(new LuksToken(0, LuksToken.TYPE, List.of(1), "castellan-old",
                java.time.Instant.now().minus(java.time.Duration.ofDays(181))));
        LuksKeyKeeper.Outcome outcome = run(true);

        assertThat(outcome.notes().toString()).contains("older than 180 days");
        assertThat(volumes.added).containsExactly(2);
        assertThat(volumes.removed).containsExactly(1);
        assertThat(server.calls).hasSize(3).first().asString().startsWith("escrow castellan-");
        assertThat(server.calls.get(1)).startsWith("commit castellan-");
        assertThat(server.calls.get(2)).isEqualTo("retire castellan-old");
    }

    /** A header in memory: slot 0 is the owner's. */
    static final class MemoryVolumes implements LuksVolumes {
        final Set<Integer> active = new TreeSet<>(Set.of(0));
        final List<LuksToken> tokens = new ArrayList<>();
        final List<Integer> removed = new ArrayList<>();
        final List<Integer> added = new ArrayList<>();

        @Override
        public List<LuksVolume> list() {
            return List.of(VOLUME);
        }

        @Override
        public LuksHeader header(LuksVolume volume) {
            return new LuksHeader(active, tokens);
        }

        @Override
        public void checkUnlockKeyFile(Path file) {}

        @Override
        public void addKey(LuksVolume volume, int slot, Path unlockKeyFile, Secret newKey) {
            added.add(slot);
            active.add(slot);
        }

        @Override
        public void tagSlot(LuksVolume volume, int slot, LuksToken token) {
            tokens.add(new LuksToken(tokens.size() + 10, token.type(), token.keyslots(), token.protectorId(), token.created()));
        }

        @Override
        public boolean opens(LuksVolume volume, int slot, Secret key) {
            return active.contains(slot);
        }

        @Override
        public void removeSlot(LuksVolume volume, int slot, Path unlockKeyFile) {
            removed.add(slot);
            active.remove(slot);
            List<LuksToken> unbound = new ArrayList<>();
            for (LuksToken t : tokens) {
                List<Integer> slots = new ArrayList<>(t.keyslots());
                slots.remove(Integer.valueOf(slot));
                unbound.add(new LuksToken(t.id(), t.type(), slots, t.protectorId(), t.created()));
            }
            tokens.clear();
            tokens.addAll(unbound);
        }

        @Override
        public void removeToken(LuksVolume volume, int tokenId) {
            tokens.removeIf(t -> t.id() == tokenId);
        }
    }

    /** Records LUKS calls; every key is known to it. */
    static final class RecordingServer implements ServerApi {
        final List<String> calls = new ArrayList<>();
        final Map<String, String> states = new HashMap<>();

        @Override
        public LuksKeyState escrowLuksKey(LuksKeyEscrowRequest r) {
            calls.add("escrow " + r.protectorId());
            return new LuksKeyState(r.volumeId(), r.protectorId(), "pending");
        }

        @Override
        public LuksKeyState commitLuksKey(LuksKeyRef ref) {
            calls.add("commit " + ref.protectorId());
            return new LuksKeyState(ref.volumeId(), ref.protectorId(), "committed");
        }

        @Override
        public LuksKeyState retireLuksKey(LuksKeyRef ref) {
            calls.add("retire " + ref.protectorId());
            return new LuksKeyState(ref.volumeId(), ref.protectorId(), "retired");
        }

        @Override
        public RegisterResponse register(RegisterRequest request) throws ServerException {
            throw new UnsupportedOperationException();
        }

        @Override
        public CheckInResponse checkIn(CheckInRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public EscrowResponse escrow(EscrowRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public RotationStateResponse commit(String rotationId, RotationOutcome outcome) {
            throw new UnsupportedOperationException();
        }

        @Override
        public RotationStateResponse abort(String rotationId, RotationOutcome outcome) {
            throw new UnsupportedOperationException();
        }

        @Override
        public RecoveryKeyEscrowResponse escrowRecoveryKeys(RecoveryKeyEscrowRequest request) {
            throw new UnsupportedOperationException();
        }
    }
}
