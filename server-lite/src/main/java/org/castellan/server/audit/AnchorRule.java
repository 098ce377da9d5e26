package org.castellan.server.audit;

import java.util.Optional;

/**
 * The one rule for serving over the audit log's head anchor, whatever stores the anchor (today
 * {@code DIR/audit/head} and {@code DIR/audit/anchor.key}; the multi-node design of the storage
 * work must keep it):
 * <ol>
 *   <li>Anchor material present, readable, authentic, and reached by the log: serve (anchoring
 *       any entries committed after it, which must chain onto the anchored one).</li>
 *   <li>No anchor material at all and an <em>empty</em> log: a first start; create it.</li>
 *   <li>Anything else over a non-empty log (material missing in whole or in part, unreadable,
 *       malformed, failing its HMAC, or not reached by the log): refuse to serve, name the
 *       problem and the recovery command, and never write the anchor. Only an operator's explicit
 *       {@value #RECOVERY} anchors such a log again, and that command is itself audited.</li>
 * </ol>
 * A missing anchor is never taken as "first start" when the log has entries: deleting the newest
 * rows and then the anchor must not end in a fresh anchor over the shortened log.
 */
public final class AnchorRule {
    public static final String RECOVERY = "castellan-server audit re-anchor --data DIR --reason TEXT";

    private AnchorRule() {}

    /** What the server found of its anchor material. */
    public sealed interface Found {
        /** Neither head nor key exists. */
        record Nothing() implements Found {}

        /** Readable and authentic: the recorded head. */
        record Head(AuditHead head) implements Found {}

        /** Partly missing, unreadable, malformed or forged: why. */
        record Unusable(String problem) implements Found {}
    }

    public enum Decision { SERVE, CREATE }

    /**
     * @param logProblem why the log does not reach a readable anchor's head (empty when it does)
     * @throws AuditAnchorException when the server must not serve
     */
    public static Decision decide(Found found, AuditHead logEnd, Optional<String> logProblem) {
        if (found instanceof Found.Nothing) {
            if (logEnd.count() == 0) {
                return Decision.CREATE;
            }
            throw refuse("the audit log has " + logEnd.count() + " entries but no head anchor (" + HeadAnchorFile.DIRECTORY
                    + "/ is gone, or this database is from before anchoring), so deleted newest entries could not be "
                    + "detected");
        }
        if (found instanceof Found.Unusable unusable) {
            throw refuse(unusable.problem());
        }
        if (logProblem.isPresent()) {
            throw refuse("the audit log does not match its head anchor: " + logProblem.get());
        }
        return Decision.SERVE;
    }

    private static AuditAnchorException refuse(String problem) {
        return new AuditAnchorException(problem + ". Run 'castellan-server audit verify' and investigate; after that "
                + "(e.g. a deliberate restore from backup), '" + RECOVERY + "' anchors the log as it is, audited");
    }
}
