package org.castellan.server.admin;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.castellan.server.audit.AuditEntry;
import org.castellan.server.audit.AuditLog;
import org.castellan.server.audit.AuditQuery;
import org.castellan.server.db.Database;
import org.castellan.server.guard.Caller;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.Paging;
import org.castellan.server.http.Responses;
import org.castellan.server.http.TextRules;

/** {@code GET /api/v1/audit?device=&principal=&action=&outcome=&since=&until=&limit=&after=}, newest first. */
public final class AuditRoutes {
    private final Database db;
    private final AuditLog audit;

    public AuditRoutes(Database db, AuditLog audit) {
        this.db = db;
        this.audit = audit;
    }

    public void find(Context ctx, Caller admin) {
        int limit = limit(ctx.queryParam("limit"));
        // Fetches one row more than asked: its presence says another page exists.
        AuditQuery query = new AuditQuery(
                TextRules.optional(ctx.queryParam("device"), "device", 100),
                TextRules.optional(ctx.queryParam("principal"), "principal", 200),
                TextRules.optional(ctx.queryParam("action"), "action", 100),
                TextRules.optional(ctx.queryParam("outcome"), "outcome", 50),
                time(ctx.queryParam("since"), "since"),
                time(ctx.queryParam("until"), "until"),
                after(ctx.queryParam("after")),
                limit + 1);
        List<AuditEntry> rows = db.read(c -> audit.find(c, query));
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            ctx.header(Paging.NEXT_CURSOR, Long.toString(rows.get(limit - 1).id()));
        }
        Responses.ok(ctx, rows);
    }

    private static Instant time(String value, String name) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("invalid-" + name, "'" + name + "' must be an ISO-8601 UTC time such as 2030-01-31T00:00:00Z");
        }
    }

    /** The cursor is the id of the last row of the previous page. */
    private static Long after(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (!value.matches("[0-9]{1,18}")) {
            throw ApiException.badRequest("invalid-after", "'after' must be the X-Next-Cursor value of a previous page");
        }
        return Long.parseLong(value);
    }

    private static int limit(String value) {
        return Paging.limit(value);
    }
}
