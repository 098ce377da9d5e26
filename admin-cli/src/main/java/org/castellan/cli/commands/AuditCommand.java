package org.castellan.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.castellan.cli.Host;
import org.castellan.cli.Session;
import org.castellan.cli.http.Endpoint;
import org.castellan.cli.output.Table;
import org.castellan.cli.output.Values;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code castellan audit [filters]}: the audit trail, newest first. One page by default (with a
 * note when more exist); {@code --all} follows {@code X-Next-Cursor} to the end.
 */
@Command(name = "audit", description = {"Read the audit log, newest first (fits 100 columns; -o wide: every column,"
        + " full times, ids beside names).",
        "--since and --until take a time (2026-11-22T10:00:00Z, 2026-11-22) or an age (30m, 1h, 7d, 2w)."})
public final class AuditCommand extends ApiCommand {
    @Option(names = "--device", paramLabel = "ID|HOSTNAME", description = "Only entries about this device.")
    String device;

    @Option(names = "--principal", paramLabel = "PRINCIPAL", description = "Only entries by this principal, e.g. user:ann or user:ID.")
    String principal;

    private String principalId;

    @Option(names = "--action", paramLabel = "ACTION", description = "Only this action, e.g. password.reveal.")
    String action;

    @Option(names = "--outcome", paramLabel = "OUTCOME", description = "Only this outcome, e.g. granted or denied.")
    String outcome;

    @Option(names = "--since", paramLabel = "ISO|AGE", description = "Only entries at or after this time.")
    String since;

    @Option(names = "--until", paramLabel = "ISO|AGE", description = "Only entries before this time.")
    String until;

    @Option(names = "--limit", paramLabel = "N", description = "Entries per request, 1 to 1000 (server default 100).")
    Integer limit;

    @Option(names = "--after", paramLabel = "CURSOR", description = "Continue after this cursor (as printed for the next page).")
    String after;

    @Option(names = "--all", description = "Follow the pages to the last entry.")
    boolean all;

    private Instant sinceAt;
    private Instant untilAt;

    @Override
    protected void validate(Host host) {
        if (limit != null && (limit < 1 || limit > 1000)) {
            throw new ParameterException(spec.commandLine(), "--limit must be between 1 and 1000");
        }
        sinceAt = time("--since", since, host);
        untilAt = time("--until", until, host);
        if (sinceAt != null && untilAt != null && !sinceAt.isBefore(untilAt)) {
            throw new ParameterException(spec.commandLine(), "--since must be before --until");
        }
    }

    /** An ISO time or date, or an age counted back from now. */
    private Instant time(String flag, String value, Host host) {
        if (value == null) {
            return null;
        }
        try {
            return Expiry.at(value);
        } catch (IllegalArgumentException notTime) {
            try {
                return host.clock().instant().minus(Expiry.duration(value)).truncatedTo(ChronoUnit.SECONDS);
            } catch (IllegalArgumentException notAge) {
                throw new ParameterException(spec.commandLine(), flag + ": '" + value
                        + "' is neither a time like 2026-11-22T10:00:00Z nor an age like 1h or 7d");
            }
        }
    }

    @Override
    protected void run(Session session) {
        String deviceId = device == null ? null : DeviceRef.resolve(session, device).id();
        principalId = principal == null ? null : Refs.principal(session, principal);
        String context = "read audit log";
        JsonNode entries;
        String next = null;
        if (all) {
            entries = Pages.all(session, context, cursor -> endpoint(deviceId, cursor != null ? cursor : after));
        } else {
            Pages.Page page = Pages.one(session, context, endpoint(deviceId, after));
            entries = page.rows();
            next = page.nextCursor();
        }
        NameBook names = session.output().json() ? null : new NameBook(session);
        if (session.output().wide()) {
            // Every column: the full time, names beside ids, the client address.
            Table table = Table.withColumns("TIME", "PRINCIPAL", "ACTION", "OUTCOME", "DEVICE", "HOSTNAME", "REASON",
                    "CLIENT");
            Show.list(session, entries, table, entry -> table.row(Values.text(entry, "at"),
                    entry.hasNonNull("principal") ? names.labelBeside(entry.get("principal").asText()) : "-",
                    Values.text(entry, "action"), Values.text(entry, "outcome"), Values.text(entry, "deviceId"),
                    Values.text(entry, "hostname"), Values.text(entry, "reason"), Values.text(entry, "clientAddress")));
        } else {
            // Fits 100 columns: time to the second, names instead of ids, long cells cut short.
            Table table = Table.withColumns("TIME", "PRINCIPAL", "ACTION", "OUTCOME", "DEVICE", "REASON")
                    .fitTo(100, 1, 2, 4, 5);
            Show.list(session, entries, table, entry -> table.row(time(entry),
                    entry.hasNonNull("principal") ? names.label(entry.get("principal").asText()) : "-",
                    Values.text(entry, "action"), Values.text(entry, "outcome"),
                    device(entry), Values.text(entry, "reason")));
        }
        if (next != null) {
            session.output().note("more entries exist: add --all, or --after " + next + " for the next page");
        }
    }

    /**
     * The device's host name; a device without one (purged since) by the start of its id, as git
     * abbreviates commits ({@code -o wide} and {@code -o json} show the whole id).
     */
    private static String device(JsonNode entry) {
        if (entry.hasNonNull("hostname")) {
            return Values.text(entry, "hostname");
        }
        String id = Values.text(entry, "deviceId");
        return id.length() == 36 ? id.substring(0, 8) + "…" : id;
    }

    /** {@code 2026-12-02 09:48:34}: the stored time to the second, UTC. */
    private static String time(JsonNode entry) {
        String at = Values.text(entry, "at");
        try {
            return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(java.time.ZoneOffset.UTC)
                    .format(Instant.parse(at));
        } catch (java.time.format.DateTimeParseException e) {
            return at;
        }
    }

    private Endpoint endpoint(String deviceId, String cursor) {
        return Endpoint.of("audit").query("device", deviceId).query("principal", principalId).query("action", action)
                .query("outcome", outcome).query("since", sinceAt == null ? null : sinceAt.toString())
                .query("until", untilAt == null ? null : untilAt.toString())
                .query("limit", limit == null ? null : limit.toString()).query("after", cursor);
    }
}
