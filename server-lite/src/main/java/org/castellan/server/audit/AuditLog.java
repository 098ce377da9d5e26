package org.castellan.server.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Consumer;

/** The append-only audit log. Appends join the caller's transaction, so a change and its record commit together. */
public interface AuditLog {
    void append(Connection c, AuditEvent event) throws SQLException;

    List<AuditEntry> find(Connection c, AuditQuery query) throws SQLException;

    /** Every row in id order, for verification. */
    void forEach(Connection c, Consumer<AuditEntry> consumer) throws SQLException;
}
