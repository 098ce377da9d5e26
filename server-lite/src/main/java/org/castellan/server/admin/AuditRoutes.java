package org.castellan.server.admin;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.castellan.server.audit.AuditEntry;
import org.castellan.server.audit.AuditLog;
import org.castellan.server.audit.AuditQuery;
import org.castellan.server.db.Database;
import org.castellan.server.devices.Device;
import org.castellan.server.devices.DeviceStore;
import org.castellan.server.guard.Caller;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.Paging;
import org.castellan.server.http.Responses;
import org.castellan.server.http.TextRules;

/**
 * {@code GET /api/v1/audit?device=&principal=&action=&outcome=&since=&until=&limit=&after=}, newest
 * first. Each row as stored (the hash chain covers exactly those fields), plus {@code hostname}: the
 * device's current host name (deleted devices included, null once purged), looked up once per
 * distinct device of the page, so people read names where the chain holds ids.
 */
public final class AuditRoutes {
    private final Database db;
    private final AuditLog audit;
    private final DeviceStore devices;

    public AuditRoutes(Database db, AuditLog audit, DeviceStore devices) {
        this.db = db;
        this.audit = audit;
        this.devices = devices;
    }

    /** An audit row as the API shows it: the stored entry's fields and the device's host name. */
    public record AuditRow(long id, Instant at, String principal, String action, String outcome, String deviceId,
                           String hostname, String reason, String clientAddress, String detail, String prevHash,
                           String hash) {
        static AuditRow of(AuditEntry e, String hostname) {
            return new AuditRow(e.id(), e.at(), e.principal(), e.action(), e.outcome(), e.deviceId(), hostname,
                    e.reason(), e.clientAddress(), e.detail(), e.prevHash(), e.hash());
        }
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
        boolean[] hasMore = new boolean[1];
        List<AuditRow> rows = db.read(c -> {
            List<AuditEntry> entries = audit.find(c, query);
            if (entries.size() > limit) {
                hasMore[0] = true;
                entries = entries.subList(0, limit);
            }
            Map<String, String> hostnames = new HashMap<>();
            List<AuditRow> out = new ArrayList<>(entries.size());
            for (AuditEntry e : entries) {
                String hostname = null;
                if (e.deviceId() != null) {
                    if (!hostnames.containsKey(e.deviceId())) {
                        hostnames.put(e.deviceId(), devices.byId(c, e.deviceId()).map(Device::hostname).orElse(null));
                    }
                    hostname = hostnames.get(e.deviceId());
                }
                out.add(AuditRow.of(e, hostname));
            }
            return out;
        });
        if (rows.size() == limit && hasMore[0]) {
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
