package org.castellan.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import org.castellan.protocol.Json;
import org.castellan.server.audit.AuditIntake;
import org.castellan.server.backup.SqliteDatabasePart;
import org.castellan.server.db.Database;
import org.castellan.server.db.DatabaseTarget;
import org.castellan.server.db.StorageException;

/** Queues a command-line tool's audit event for the server to chain ({@link AuditIntake}). */
final class ToolAudit {
    private ToolAudit() {}

    static void record(Path dataDir, String action, String outcome, Map<String, Object> detail) throws IOException {
        record(dataDir, DatabaseTarget.embeddedSqlite(), action, outcome, detail);
    }

    /** In DIR's embedded database, or in the PostgreSQL database {@code target} names. */
    static void record(Path dataDir, DatabaseTarget target, String action, String outcome, Map<String, Object> detail)
            throws IOException {
        String json;
        try {
            json = Json.mapper().writeValueAsString(detail);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        if (!target.embedded()) {
            try (Database db = Database.open(dataDir, target)) {
                db.write(c -> {
                    AuditIntake.submit(c, Instant.now(), action, outcome, null, json);
                    return null;
                });
            } catch (StorageException e) {
                throw new IOException("cannot record " + action + " in the audit log: " + e.getMessage(), e);
            }
            return;
        }
        try (Connection c = SqliteDatabasePart.connect(dataDir)) {
            AuditIntake.submit(c, Instant.now(), action, outcome, null, json);
        } catch (SQLException e) {
            throw new IOException("cannot record " + action + " in the audit log: " + e.getMessage(), e);
        }
    }
}
