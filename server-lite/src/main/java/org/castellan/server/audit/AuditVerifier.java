package org.castellan.server.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Walks the chain from the first row: each row must point at the previous row's hash and hash to
 * its own stored value; reports the first row that does not. Given the head anchor, also checks
 * that the database still reaches the anchored head (the chain alone cannot see its newest rows
 * deleted). Given a head hash an operator wrote down earlier, says whether it is still in the chain.
 */
public final class AuditVerifier {
    private final AuditLog log;

    public AuditVerifier(AuditLog log) {
        this.log = log;
    }

    /**
     * @param end the database's last entry and entry count
     * @param anchorProblem why the database does not match the anchor (only looked at when the chain is whole)
     * @param expectedHeadId the id of the entry whose hash is the expected head, when asked and found
     */
    public record Result(long rowsChecked, Optional<Broken> firstBroken, AuditHead end, Optional<String> anchorProblem,
                         OptionalLong expectedHeadId) {
        public boolean intact() {
            return firstBroken.isEmpty() && anchorProblem.isEmpty();
        }
    }

    public record Broken(long id, String problem) {}

    /** The chain alone. */
    public Result verify(Connection c) throws SQLException {
        return verify(c, Optional.empty(), null);
    }

    /**
     * The chain, then the anchor. Read the anchor <em>before</em> calling this: the server writes it
     * after each commit, so an anchor read first is never ahead of the rows read here.
     */
    public Result verify(Connection c, Optional<AuditHead> anchor, String expectedHead) throws SQLException {
        Walk walk = new Walk(anchor.map(AuditHead::id).orElse(-1L), expectedHead);
        log.forEach(c, walk::visit);
        AuditHead end = new AuditHead(walk.lastId, walk.previous, walk.count);
        Optional<String> anchorProblem = walk.broken == null && anchor.isPresent()
                ? HeadComparison.problem(anchor.get(), end, walk.hashAtAnchor, walk.countAtAnchor)
                : Optional.empty();
        return new Result(walk.count, Optional.ofNullable(walk.broken), end, anchorProblem,
                walk.expectedId == null ? OptionalLong.empty() : OptionalLong.of(walk.expectedId));
    }

    private static final class Walk {
        private final long anchorId;
        private final String expectedHead;
        long count;
        long lastId;
        String previous = AuditChain.GENESIS;
        Broken broken;
        String hashAtAnchor;
        long countAtAnchor;
        Long expectedId;

        Walk(long anchorId, String expectedHead) {
            this.anchorId = anchorId;
            this.expectedHead = expectedHead;
        }

        void visit(AuditEntry entry) {
            if (broken != null) {
                return;
            }
            count++;
            if (!previous.equals(entry.prevHash())) {
                broken = new Broken(entry.id(), "does not follow the previous entry (an entry before it was deleted, edited or moved)");
            } else if (!AuditChain.hash(entry).equals(entry.hash())) {
                broken = new Broken(entry.id(), "content does not match its hash (the entry was edited)");
            }
            previous = entry.hash();
            lastId = entry.id();
            if (entry.id() <= anchorId) {
                countAtAnchor = count;
            }
            if (entry.id() == anchorId) {
                hashAtAnchor = entry.hash();
            }
            if (entry.hash().equals(expectedHead)) {
                expectedId = entry.id();
            }
        }
    }
}
