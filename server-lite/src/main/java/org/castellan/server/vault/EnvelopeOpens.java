package org.castellan.server.vault;

import org.castellan.protocol.envelope.AssociatedData;
import org.castellan.protocol.envelope.Envelope;
import org.castellan.protocol.envelope.EnvelopeException;
import org.castellan.protocol.envelope.SecretEnvelope;
import org.castellan.protocol.envelope.VaultKeyPair;
import org.castellan.server.db.Database;

/**
 * Every envelope the server opens, stored or just sent (a reveal, a comparison with what an agent
 * sent, an escrow's test-open, a TOTP seed, a webhook secret), is opened here, and never inside a
 * write transaction. On SQLite every write transaction runs on the one writer thread that every
 * write of the server waits for (group commit), and an HPKE open there held them all up (issue 11,
 * docs/performance.md); on PostgreSQL it would hold the transaction, its locks and its connection as
 * long. So the work that needs a secret reads the sealed rows, and opens them outside the write:
 * after it has committed (a reveal, {@code admin/Reveals}) or before it (a comparison,
 * {@code agent/SameKeys}). An open inside a write ({@link Database#inWriteTransaction}) throws an
 * {@link IllegalStateException} naming this rule, so a call site that forgets it fails at once
 * rather than slowing every write.
 */
public final class EnvelopeOpens {
    static final String RULE = "an envelope is never opened inside a write transaction: on SQLite that is the"
            + " writer thread every write of the server waits for (issue 11); read the sealed row, then open it"
            + " outside the write";

    private EnvelopeOpens() {}

    /**
     * {@link SecretEnvelope#open}, outside write transactions only; the caller wipes the plaintext.
     *
     * @throws IllegalStateException when the calling thread is inside a write transaction
     */
    public static byte[] open(VaultKeyPair key, AssociatedData context, Envelope envelope) throws EnvelopeException {
        requireOutsideWrites();
        return SecretEnvelope.open(key, context, envelope);
    }

    /**
     * Throws {@link IllegalStateException} when the calling thread is inside a write transaction; for
     * a caller that turns every failure of {@link #open} into its own answer, to check first.
     */
    public static void requireOutsideWrites() {
        if (Database.inWriteTransaction()) {
            throw new IllegalStateException(RULE);
        }
    }
}
