package org.castellan.agent.windows.bitlocker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.castellan.agent.spi.RecoveryKey;
import org.castellan.agent.spi.RecoveryKeySource.RecoveryKeyScan;
import org.castellan.agent.windows.bitlocker.RecoveryKeyEscrowTracker.EscrowedKey;
import org.castellan.agent.windows.bitlocker.RecoveryKeyEscrowTracker.Plan;
import org.castellan.protocol.Secret;
import org.junit.jupiter.api.Test;

class RecoveryKeyEscrowTrackerTest {
    private static final String C = "\\\\?\\Volume{c}\\";
    private static final String D = "\\\\?\\Volume{d}\\";
    private static final String P1 = "{11111111-1111-1111-1111-111111111111}";
    private static final String P2 = "{22222222-2222-2222-2222-222222222222}";
    private static final String P3 = "{33333333-3333-3333-3333-333333333333}";

    private static RecoveryKey key(String volume, String protector) {
        return new RecoveryKey(volume, volume.equals(C) ? "C:" : "D:", protector,
                Secret.of("000000-000011-000022-000033-000044-000055-000066-000077"));
    }

    private static RecoveryKeyScan scan(RecoveryKey... keys) {
        return new RecoveryKeyScan(List.of(keys), List.of());
    }

    @Test
    void firstScanEscrowsEveryKey() {
        Plan plan = RecoveryKeyEscrowTracker.plan(Set.of(), scan(key(C, P1), key(D, P2)));

        assertThat(plan.toEscrow()).extracting(RecoveryKey::protectorId).containsExactly(P1, P2);
        assertThat(plan.removed()).isEmpty();
        assertThat(plan.changed()).isTrue();
    }

    @Test
    void unchangedProtectorsNeedNothing() {
        Plan plan = RecoveryKeyEscrowTracker.plan(Set.of(new EscrowedKey(C, P1), new EscrowedKey(D, P2)),
                scan(key(C, P1), key(D, P2)));

        assertThat(plan.changed()).isFalse();
    }

    @Test
    void newProtectorOnAVolumeIsEscrowedAndTheReplacedOneReportedRemoved() {
        // manage-bde -protectors -delete/-add: same volume, new protector ID, new password.
        Plan plan = RecoveryKeyEscrowTracker.plan(Set.of(new EscrowedKey(C, P1)), scan(key(C, P3)));

        assertThat(plan.toEscrow()).extracting(RecoveryKey::protectorId).containsExactly(P3);
        assertThat(plan.removed()).containsExactly(new EscrowedKey(C, P1));
    }

    @Test
    void removedVolumeIsReported() {
        Plan plan = RecoveryKeyEscrowTracker.plan(Set.of(new EscrowedKey(C, P1), new EscrowedKey(D, P2)),
                scan(key(C, P1)));

        assertThat(plan.toEscrow()).isEmpty();
        assertThat(plan.removed()).containsExactly(new EscrowedKey(D, P2));
    }

    @Test
    void sameProtectorIdOnAnotherVolumeIsADifferentKey() {
        Plan plan = RecoveryKeyEscrowTracker.plan(Set.of(new EscrowedKey(C, P1)), scan(key(C, P1), key(D, P1)));

        assertThat(plan.toEscrow()).extracting(RecoveryKey::volumeId).containsExactly(D);
    }

    @Test
    void onlyKeysTheServerAcceptedBecomeEscrowedSoFailuresAreRetried() {
        Set<EscrowedKey> before = Set.of(new EscrowedKey(C, P1));
        RecoveryKey p2 = key(D, P2);
        RecoveryKey p3 = key(C, P3);
        Plan plan = RecoveryKeyEscrowTracker.plan(before, scan(p2, p3));

        Set<EscrowedKey> after = RecoveryKeyEscrowTracker.afterEscrow(before, plan, List.of(p2));

        assertThat(after).containsExactly(new EscrowedKey(D, P2));
        assertThat(RecoveryKeyEscrowTracker.plan(after, scan(p2, p3)).toEscrow()).containsExactly(p3);
    }
}
