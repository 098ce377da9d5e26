package org.castellan.server.audit;

/**
 * The end of the audit chain: the newest entry's id and hash and how many entries there are.
 * An empty log ends at id 0 with the genesis hash.
 */
public record AuditHead(long id, String hash, long count) {
    public static final AuditHead EMPTY = new AuditHead(0, AuditChain.GENESIS, 0);

    /** The head after appending one entry. */
    public AuditHead next(long newId, String newHash) {
        return new AuditHead(newId, newHash, count + 1);
    }
}
