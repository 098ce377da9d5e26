package org.castellan.server.agent;

import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.castellan.server.db.Dialect;
import org.castellan.server.db.SqlWork;
import org.castellan.server.guard.AgentRequest;
import org.castellan.server.guard.RequestAudit;
import org.castellan.server.recovery.RecoveryKeyOpener;
import org.castellan.server.recovery.RecoveryKeyRecord;

/**
 * Whether the keys a device has on record are the ones its agent just sent, decided without opening
 * a stored envelope inside the write transaction ({@link org.castellan.server.vault.EnvelopeOpens},
 * issue 11). Optimistic: a pooled read finds the stored records each sent key is to be compared
 * with; here, on the request's thread, each is opened and compared, and the verdict kept by record
 * id; then the write reads the records again and asks {@link Verdicts#same} for each one it relies
 * on. A record's envelope never changes, so a verdict stays true for its id. When the write finds a
 * record that was not judged (a concurrent escrow from the same device changed the set in between),
 * the attempt is abandoned with nothing of it kept (its nonce neither) and the read, the comparison
 * and the write are done again, {@link #ATTEMPTS} times at most. On the last attempt a record not
 * judged counts as a different key, which is benign: the sent key is stored anew and the old one
 * goes to history (a LUKS escrow answers its conflict), never a lost key.
 *
 * <p>The write holds the device's escrow lock ({@link #lockKey}) before it reads the records again.
 * On SQLite the one writer already runs writes one at a time; on PostgreSQL two escrows of one
 * device (on any nodes) would otherwise both read the set before either wrote, and the second's
 * insert would fail on the index of current keys. With the lock, the second reads what the first
 * committed, finds it unjudged, and tries again.
 */
final class SameKeys {
    static final int ATTEMPTS = 3;

    private SameKeys() {}

    /** A stored record and the plaintext the agent sent for it now; the caller of {@link #write} wipes {@code sent}. */
    record Candidate(RecoveryKeyRecord stored, byte[] sent) {}

    /** The write's work, told what was judged. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c, RequestAudit audit, Verdicts verdicts) throws SQLException;
    }

    /**
     * Reads the {@code candidates} (a read, no transaction), opens and compares them here, then runs
     * {@code work} in the request's one write; again, up to {@link #ATTEMPTS} times, while the write
     * meets a record that was not judged.
     */
    static <T> T write(AgentRequest signed, RecoveryKeyOpener opener, Dialect dialect,
                       SqlWork<List<Candidate>> candidates, Work<T> work) {
        String lock = lockKey(signed.device().id());
        for (int attempt = 1; ; attempt++) {
            Verdicts verdicts = judge(opener, signed.read(candidates), attempt == ATTEMPTS);
            try {
                return signed.write((c, audit) -> {
                    dialect.lockForTransaction(c, lock);
                    return work.run(c, audit, verdicts);
                });
            } catch (Unjudged changed) {
                // The device's records changed between the read and the write: judge them again.
            }
        }
    }

    /** The lock a device's escrows (recovery keys, LUKS keys) hold for the rest of their write. */
    static String lockKey(String deviceId) {
        return "recovery-keys:" + deviceId;
    }

    private static Verdicts judge(RecoveryKeyOpener opener, List<Candidate> candidates, boolean last) {
        Map<String, Boolean> same = new HashMap<>();
        for (Candidate candidate : candidates) {
            byte[] stored = opener.openBytes(candidate.stored());
            try {
                same.put(candidate.stored().id(), MessageDigest.isEqual(stored, candidate.sent()));
            } finally {
                Arrays.fill(stored, (byte) 0);
            }
        }
        return new Verdicts(same, last);
    }

    /** What was judged outside the write, by record id. */
    static final class Verdicts {
        private final Map<String, Boolean> byId;
        private final boolean last;

        Verdicts(Map<String, Boolean> byId, boolean last) {
            this.byId = Map.copyOf(byId);
            this.last = last;
        }

        /**
         * Whether {@code stored} holds the key sent for it. Not judged: the attempt is abandoned
         * (its write rolled back, to be tried again), or, on the last attempt, false.
         */
        boolean same(RecoveryKeyRecord stored) {
            Boolean verdict = byId.get(stored.id());
            if (verdict != null) {
                return verdict;
            }
            if (last) {
                return false;
            }
            throw new Unjudged();
        }
    }

    /** Thrown inside the write to roll its attempt back; never leaves {@link #write}. */
    private static final class Unjudged extends RuntimeException {
        Unjudged() {
            super("a stored key was not judged before the write", null, false, false);
        }
    }
}
