package org.castellan.server.audit;

import java.util.Optional;

/**
 * Does the database still reach the head the anchor recorded? The anchor is written after each
 * commit, so a healthy database ends at the anchored entry or later (later: entries committed in
 * the moment between a commit and its anchor write). Ending earlier means the newest entries were
 * deleted or an older copy of the database was put back.
 */
final class HeadComparison {
    private HeadComparison() {}

    /**
     * @param dbEnd the database's end
     * @param hashAtAnchorId the database's hash for the anchored id, null when there is no such row
     * @param countUpToAnchorId how many database rows have an id up to the anchored one
     * @return what is wrong, empty when the database reaches the anchored head
     */
    static Optional<String> problem(AuditHead anchor, AuditHead dbEnd, String hashAtAnchorId, long countUpToAnchorId) {
        if (anchor.id() == 0) {
            return Optional.empty();
        }
        if (dbEnd.id() < anchor.id()) {
            long missing = anchor.count() - dbEnd.count();
            if (missing <= 0) {
                missing = anchor.id() - dbEnd.id();
            }
            return Optional.of("the last " + missing + " entries are missing (anchor says entry " + anchor.id()
                    + ", database ends at entry " + dbEnd.id() + "); the log was truncated or rolled back to an older copy");
        }
        if (hashAtAnchorId == null) {
            return Optional.of("entry " + anchor.id() + ", the head the anchor recorded, is missing from the database"
                    + " (entries were deleted or the database was replaced)");
        }
        if (!hashAtAnchorId.equals(anchor.hash())) {
            return Optional.of("entry " + anchor.id() + " has hash " + hashAtAnchorId + " but the anchor recorded "
                    + anchor.hash() + " (the database was rolled back to an older copy or rewritten)");
        }
        if (countUpToAnchorId != anchor.count()) {
            return Optional.of("the database holds " + countUpToAnchorId + " entries up to entry " + anchor.id()
                    + " but the anchor recorded " + anchor.count() + " (entries were deleted)");
        }
        return Optional.empty();
    }
}
