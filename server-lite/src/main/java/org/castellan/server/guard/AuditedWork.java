package org.castellan.server.guard;

import java.sql.Connection;
import java.sql.SQLException;

/** The work of an admin or device action inside its one transaction; the guard appends the audit row. */
@FunctionalInterface
public interface AuditedWork<T> {
    Audited<T> run(Connection c) throws SQLException;
}
