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

/** Queues a command-line tool's audit event for the server to chain ({@link AuditIntake}). */
final class ToolAudit {
    private ToolAudit() {}

    static void record(Path dataDir, String action, String outcome, Map<String, Object> detail) throws IOException {
        String json;
        try {
            json = Json.mapper().writeValueAsString(detail);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        try (Connection c = SqliteDatabasePart.connect(dataDir)) {
            AuditIntake.submit(c, Instant.now(), action, outcome, null, json);
        } catch (SQLException e) {
            throw new IOException("cannot record " + action + " in the audit log: " + e.getMessage(), e);
        }
    }
}
