package org.castellan.server.guard;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import org.castellan.server.users.Principal;

/** Records, in the request's own transaction, that a credential (an API token, a console session) was used now. */
interface UseRecorder {
    /** Records the use in {@code c}'s transaction; returns the time recorded. */
    Instant recordUse(Connection c, Principal principal) throws SQLException;

    /** Called once the transaction that recorded the use at {@code at} has committed. */
    default void useRecorded(Principal principal, Instant at) {
    }

    /**
     * False when a request that writes nothing else need not write just to record this use. By default
     * every use is recorded: a console session's idle timeout is measured from its last recorded use.
     */
    default boolean useNeedsRecording(Principal principal) {
        return true;
    }
}
