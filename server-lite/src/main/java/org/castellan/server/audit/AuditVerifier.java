package org.castellan.server.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Walks the chain from the first row: each row must point at the previous row's hash and hash to
 * its own stored value. Returns the first row that does not.
 */
public final class AuditVerifier {
    private final AuditLog log;

    public AuditVerifier(AuditLog log) {
        this.log = log;
    }

    public record Result(long rowsChecked, Optional<Broken> firstBroken) {
        public boolean intact() {
            return firstBroken.isEmpty();
        }
    }

    public record Broken(long id, String problem) {}

    public Result verify(Connection c) throws SQLException {
        long[] count = {0};
        String[] previous = {AuditChain.GENESIS};
        Broken[] broken = {null};
        log.forEach(c, entry -> {
            if (broken[0] != null) {
                return;
            }
            count[0]++;
            if (!previous[0].equals(entry.prevHash())) {
                broken[0] = new Broken(entry.id(), "does not follow the previous entry (an entry before it was deleted, edited or moved)");
            } else if (!AuditChain.hash(entry).equals(entry.hash())) {
                broken[0] = new Broken(entry.id(), "content does not match its hash (the entry was edited)");
            }
            previous[0] = entry.hash();
        });
        return new Result(count[0], Optional.ofNullable(broken[0]));
    }
}
