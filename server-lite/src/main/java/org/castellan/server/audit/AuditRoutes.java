package org.castellan.server.audit;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.castellan.server.db.Database;
import org.castellan.server.http.AdminAuth;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.Responses;
import org.castellan.server.http.RouteTable;
import org.castellan.server.http.TextRules;

/** {@code GET /api/v1/audit?device=&principal=&action=&since=&limit=}, newest first. */
public final class AuditRoutes {
    private final Database db;
    private final AuditLog audit;
    private final AdminAuth auth;

    public AuditRoutes(Database db, AuditLog audit, AdminAuth auth) {
        this.db = db;
        this.audit = audit;
        this.auth = auth;
    }

    public void register(RouteTable routes) {
        routes.get("/api/v1/audit", this::find);
    }

    private void find(Context ctx) {
        auth.require(ctx);
        AuditQuery query = new AuditQuery(
                TextRules.optional(ctx.queryParam("device"), "device", 100),
                TextRules.optional(ctx.queryParam("principal"), "principal", 200),
                TextRules.optional(ctx.queryParam("action"), "action", 100),
                since(ctx.queryParam("since")),
                limit(ctx.queryParam("limit")));
        Responses.ok(ctx, db.read(c -> audit.find(c, query)));
    }

    private static Instant since(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("invalid-since", "'since' must be an ISO-8601 UTC time such as 2030-01-31T00:00:00Z");
        }
    }

    private static int limit(String value) {
        if (value == null || value.isEmpty()) {
            return 100;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= 1000) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // falls through
        }
        throw ApiException.badRequest("invalid-limit", "'limit' must be a number from 1 to 1000");
    }
}
