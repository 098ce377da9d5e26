package org.castellan.server.guard;

import java.sql.Connection;
import java.sql.SQLException;
import org.castellan.server.users.Principal;

/** Records, in the request's own transaction, that a credential (an API token, a console session) was used now. */
interface UseRecorder {
    void recordUse(Connection c, Principal principal) throws SQLException;
}
