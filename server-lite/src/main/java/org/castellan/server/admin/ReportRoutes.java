package org.castellan.server.admin;

import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.castellan.server.db.Database;
import org.castellan.server.guard.AccessDecision;
import org.castellan.server.guard.Caller;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.Paging;
import org.castellan.server.http.Responses;
import org.castellan.server.http.TextRules;
import org.castellan.server.reports.FleetReports;
import org.castellan.server.reports.FleetReports.Count;
import org.castellan.server.reports.FleetReports.Cursor;
import org.castellan.server.reports.FleetReports.Report;
import org.castellan.server.reports.FleetReports.Row;
import org.castellan.server.reports.FleetReports.Tally;
import org.castellan.server.users.Principal;

/**
 * {@code /api/v1/reports/...}: the fleet reports ({@link FleetReports}), for any signed-in caller,
 * over exactly the devices that caller may see. The query is narrowed in SQL by the caller's
 * {@link org.castellan.server.devices.DeviceScope} (the device list's), and each listed row is
 * confirmed with the full access decision as the device list does; counts are the scoped GROUP BY.
 * Shared with the console's report pages.
 */
public final class ReportRoutes {
    public static final int MAX_DAYS = 3650;
    private final Database db;
    private final FleetReports reports;
    private final AccessDecision decisions;
    private final Clock clock;

    public ReportRoutes(Database db, FleetReports reports, AccessDecision decisions, Clock clock) {
        this.db = db;
        this.reports = reports;
        this.decisions = decisions;
        this.clock = clock;
    }

    /** One entry of a list report, as JSON. */
    public record Entry(String deviceId, String hostname, String os, String osVersion, String agentVersion,
                        Instant lastSeenAt, Instant at, String detail) {}

    /** One value of a count report and how many devices have it. */
    public record Counted(String value, String detail, long devices) {}

    /** One page and the cursor of the next (null on the last page). */
    public record Page(List<Row> rows, Cursor next) {}

    /** The default and accepted {@code days} of a report (null: it takes none). */
    public static Integer defaultDays(Report report) {
        return switch (report) {
            case STALE_DEVICES -> 30;
            case FAILING_ROTATIONS -> 7;
            default -> null;
        };
    }

    /** Checks {@code ?days=} (1..{@value #MAX_DAYS}); null or empty: the report's default. */
    public static Integer days(Report report, String value) {
        Integer fallback = defaultDays(report);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        if (fallback == null) {
            throw ApiException.badRequest("invalid-days", "this report takes no 'days'");
        }
        if (value.matches("[0-9]{1,4}")) {
            int days = Integer.parseInt(value);
            if (days >= 1 && days <= MAX_DAYS) {
                return days;
            }
        }
        throw ApiException.badRequest("invalid-days", "'days' must be a whole number from 1 to " + MAX_DAYS);
    }

    /**
     * A list report's parameters as the API and the console's report pages both read them:
     * {@code ?days=} ({@link #days}) and {@code ?after=}, the opaque cursor of the previous page
     * (empty: the first page; anything else that is not such a cursor: 400 {@code invalid-after}).
     */
    public record Query(Integer days, Cursor after) {
        public static Query of(Context ctx, Report report) {
            String after = ctx.queryParam("after");
            String checked = after == null || after.isEmpty() ? null : TextRules.optional(after, "after", 400);
            return new Query(ReportRoutes.days(report, ctx.queryParam("days")),
                    checked == null ? null : cursor(Paging.key(checked)));
        }
    }

    /** The cursor of an opaque key ({@link Paging}), or 400. */
    public static Cursor cursor(String key) {
        if (key == null) {
            return null;
        }
        Cursor cursor = Cursor.parse(key);
        if (cursor == null) {
            throw ApiException.badRequest("invalid-after", "'after' must be the X-Next-Cursor value of a previous page");
        }
        return cursor;
    }

    /** A page of {@code report} for {@code principal}: only devices their rules reach. */
    public Page page(Principal principal, Report report, Integer days, Cursor after, int limit) {
        Instant now = clock.instant();
        Instant threshold = switch (report) {
            case STALE_DEVICES, FAILING_ROTATIONS -> now.minus(Duration.ofDays(days));
            case OVERDUE_ROTATIONS -> now;
            default -> null;
        };
        return db.read(c -> {
            AccessDecision.CallerAccess rights = decisions.of(c, principal);
            // One row more than asked: its presence says another page exists.
            List<Row> fetched = reports.page(c, report, rights.scope(), threshold, after, limit + 1);
            boolean more = fetched.size() > limit;
            List<Row> shown = new ArrayList<>();
            for (Row row : fetched.subList(0, Math.min(limit, fetched.size()))) {
                if (rights.maySee(row.device())) {
                    shown.add(row);
                }
            }
            Cursor next = more ? Cursor.after(fetched.get(limit - 1)) : null;
            return new Page(shown, next);
        });
    }

    public List<Tally> count(Principal principal, Count count) {
        return db.read(c -> reports.count(c, count, decisions.of(c, principal).scope()));
    }

    private void list(Context ctx, Caller caller, Report report) {
        Query query = Query.of(ctx, report);
        Page page = page(caller.principal(), report, query.days(), query.after(), Paging.limit(ctx.queryParam("limit")));
        if (page.next() != null) {
            Paging.next(ctx, page.next().key());
        }
        Responses.ok(ctx, page.rows().stream().map(r -> new Entry(r.device().id(), r.device().hostname(),
                r.device().os(), r.device().osVersion(), r.device().agentVersion(), r.device().lastSeenAt(), r.at(),
                r.detail())).toList());
    }

    private void counted(Context ctx, Caller caller, Count count) {
        Responses.ok(ctx, count(caller.principal(), count).stream()
                .map(t -> new Counted(t.value(), t.detail(), t.devices())).toList());
    }

    public void staleDevices(Context ctx, Caller caller) {
        list(ctx, caller, Report.STALE_DEVICES);
    }

    public void overdueRotations(Context ctx, Caller caller) {
        list(ctx, caller, Report.OVERDUE_ROTATIONS);
    }

    public void failingRotations(Context ctx, Caller caller) {
        list(ctx, caller, Report.FAILING_ROTATIONS);
    }

    public void readNotRotated(Context ctx, Caller caller) {
        list(ctx, caller, Report.READ_NOT_ROTATED);
    }

    public void unprotectedVolumes(Context ctx, Caller caller) {
        list(ctx, caller, Report.UNPROTECTED_VOLUMES);
    }

    public void agentVersions(Context ctx, Caller caller) {
        counted(ctx, caller, Count.AGENT_VERSIONS);
    }

    public void osVersions(Context ctx, Caller caller) {
        counted(ctx, caller, Count.OS_VERSIONS);
    }
}
