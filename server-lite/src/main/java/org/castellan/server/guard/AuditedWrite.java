package org.castellan.server.guard;

import java.sql.Connection;
import java.sql.SQLException;

/** The work of an agent or open request, with its audit rows, in one write transaction. */
@FunctionalInterface
public interface AuditedWrite<T> {
    T run(Connection c, RequestAudit audit) throws SQLException;
}
