package org.castellan.agent.windows.bitlocker;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.castellan.agent.spi.RecoveryKey;
import org.castellan.agent.spi.RecoveryKeySource.RecoveryKeyScan;

/**
 * Decides which recovery keys must be (re-)escrowed, from what was escrowed before.
 *
 * <p>It remembers only (volume, protector ID) pairs, nothing derived from the secret: a BitLocker
 * numerical-password protector's password never changes for the same protector ID (changing it
 * means deleting the protector and adding a new one, with a new ID), so a known ID is a known
 * key. A fingerprint of the password would be a value derived from a secret kept in a state
 * file (which Castellan's rules forbid unless keyed and sealed), and it would tell nothing more.
 */
public final class RecoveryKeyEscrowTracker {
    /** One escrowed protector. Neither part is secret. */
    public record EscrowedKey(String volumeId, String protectorId) {
        static EscrowedKey of(RecoveryKey key) {
            return new EscrowedKey(key.volumeId(), key.protectorId());
        }
    }

    /**
     * @param toEscrow keys not yet escrowed (new protectors, or a volume seen for the first time)
     * @param removed escrowed protectors that no longer exist (the server may mark them superseded)
     */
    public record Plan(List<RecoveryKey> toEscrow, Set<EscrowedKey> removed) {
        public boolean changed() {
            return !toEscrow.isEmpty() || !removed.isEmpty();
        }
    }

    private RecoveryKeyEscrowTracker() {}

    public static Plan plan(Set<EscrowedKey> escrowed, RecoveryKeyScan scan) {
        List<RecoveryKey> toEscrow = new ArrayList<>();
        Set<EscrowedKey> present = new LinkedHashSet<>();
        for (RecoveryKey key : scan.keys()) {
            EscrowedKey id = EscrowedKey.of(key);
            present.add(id);
            if (!escrowed.contains(id)) {
                toEscrow.add(key);
            }
        }
        Set<EscrowedKey> removed = new LinkedHashSet<>();
        for (EscrowedKey old : escrowed) {
            if (!present.contains(old)) {
                removed.add(old);
            }
        }
        return new Plan(List.copyOf(toEscrow), Set.copyOf(removed));
    }

    /**
     * The escrowed set after the server durably accepted {@code succeeded} (a subset of the plan's
     * keys; those that failed stay out and are retried on the next scan).
     */
    public static Set<EscrowedKey> afterEscrow(Set<EscrowedKey> escrowed, Plan plan, List<RecoveryKey> succeeded) {
        Set<EscrowedKey> next = new LinkedHashSet<>();
        next.addAll(escrowed);
        next.removeAll(plan.removed());
        succeeded.forEach(key -> next.add(EscrowedKey.of(key)));
        return Set.copyOf(next);
    }
}
