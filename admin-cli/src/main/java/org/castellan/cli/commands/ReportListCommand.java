package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import org.castellan.cli.Host;
import org.castellan.cli.Session;
import org.castellan.cli.http.Endpoint;
import org.castellan.cli.output.Table;
import org.castellan.cli.output.Values;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * A list report ({@code GET /api/v1/reports/SLUG}): one page by default (with a note when more
 * exist), {@code --all} follows {@code X-Next-Cursor} to the end, as {@code audit} does. Text is a
 * table of the devices and the report's own time; {@code -o json} is the server's JSON.
 */
abstract class ReportListCommand extends ApiCommand {
    /** The server's bound on {@code days}. */
    static final int MAX_DAYS = 3650;

    @Option(names = "--limit", paramLabel = "N", description = "Devices per request, 1 to 1000 (server default 100).")
    Integer limit;

    @Option(names = "--after", paramLabel = "CURSOR", description = "Continue after this cursor (as printed for the next page).")
    String after;

    @Option(names = "--all", description = "Follow the pages to the last device.")
    boolean all;

    /** The report's path segment under {@code reports}. */
    protected abstract String slug();

    /** The heading of the report's own time column. */
    protected abstract String atHeading();

    /** The heading of the detail column. */
    protected abstract String detailHeading();

    /** {@code --days} when the report takes it (null: the server's default, or a report without days). */
    protected Integer days() {
        return null;
    }

    @Override
    protected void validate(Host host) {
        if (limit != null && (limit < 1 || limit > 1000)) {
            throw new ParameterException(spec.commandLine(), "--limit must be between 1 and 1000");
        }
        Integer days = days();
        if (days != null && (days < 1 || days > MAX_DAYS)) {
            throw new ParameterException(spec.commandLine(), "--days must be between 1 and " + MAX_DAYS);
        }
    }

    @Override
    protected void run(Session session) {
        String context = "read report " + slug();
        JsonNode rows;
        String next = null;
        if (all) {
            rows = Pages.all(session, context, cursor -> endpoint(cursor != null ? cursor : after));
        } else {
            Pages.Page page = Pages.one(session, context, endpoint(after));
            rows = page.rows();
            next = page.nextCursor();
        }
        Table table = session.output().wide()
                ? Table.withColumns("DEVICE", "HOSTNAME", "OS", "OS VERSION", "AGENT", "LAST SEEN", atHeading(),
                        detailHeading())
                : Table.withColumns("HOSTNAME", "OS", "OS VERSION", "AGENT", "LAST SEEN", atHeading(), detailHeading())
                        .fitTo(100, 0, 2, 6);
        Show.list(session, rows, table, row -> {
            if (session.output().wide()) {
                table.row(Values.text(row, "deviceId"), Values.text(row, "hostname"), Values.text(row, "os"),
                        Values.text(row, "osVersion"), Values.text(row, "agentVersion"), Values.text(row, "lastSeenAt"),
                        Values.text(row, "at"), Values.text(row, "detail"));
            } else {
                table.row(Values.text(row, "hostname"), Values.text(row, "os"), Values.text(row, "osVersion"),
                        Values.text(row, "agentVersion"), day(row, "lastSeenAt"), day(row, "at"),
                        Values.text(row, "detail"));
            }
        });
        if (next != null) {
            session.output().note("more devices exist: add --all, or --after " + next + " for the next page");
        }
    }

    /** {@code 2026-12-02 09:48}: a time to the minute, UTC ({@code -o wide} shows the stored time). */
    private static String day(JsonNode row, String field) {
        String at = Values.text(row, field);
        try {
            return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(java.time.ZoneOffset.UTC)
                    .format(java.time.Instant.parse(at));
        } catch (java.time.format.DateTimeParseException e) {
            return at;
        }
    }

    private Endpoint endpoint(String cursor) {
        Integer days = days();
        return Endpoint.of("reports", slug()).query("days", days == null ? null : days.toString())
                .query("limit", limit == null ? null : limit.toString()).query("after", cursor);
    }
}
