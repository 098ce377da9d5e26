package org.castellan.server.web;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.castellan.protocol.Json;
import org.castellan.server.admin.AccessRoutes;
import org.castellan.server.audit.AuditActions;
import org.castellan.server.audit.AuditEntry;
import org.castellan.server.audit.AuditLog;
import org.castellan.server.audit.AuditQuery;
import org.castellan.server.audit.ChainWatch;
import org.castellan.server.db.Database;
import org.castellan.server.devices.Device;
import org.castellan.server.devices.DeviceStore;
import org.castellan.server.guard.Caller;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.TextRules;
import org.castellan.server.users.UserStore;

/**
 * The audit trail for admins (as {@code GET /api/v1/audit}, admin only): filters by device (id or
 * host name), principal (id or user name), action, outcome and time range; keyset pages from the
 * database, newest first ({@value #PAGE} a page); each entry linked to its device and principal;
 * the background chain check's verdict on top; the filtered view exported as CSV or JSON,
 * streamed in keyset batches (never the whole log in memory), every CSV cell safe to open in a
 * spreadsheet.
 */
public final class AuditPages {
    static final int PAGE = 50;
    private static final int EXPORT_BATCH = 500;
    private static final Pattern ACTION = Pattern.compile("[a-z0-9.-]{1,100}");
    private static final Pattern PRINCIPAL = Pattern.compile("[A-Za-z0-9:._@-]{1,200}");
    private static final List<String> OUTCOMES = List.of("ok", "granted", "denied", "failed", "error");
    private static final List<String> ACTIONS = knownActions();
    private final Database db;
    private final AuditLog audit;
    private final DeviceStore devices;
    private final UserStore users;
    private final AccessRoutes access;
    private final Supplier<ChainWatch.Status> chain;

    /** {@code chain} null: no background chain check runs (the page says so). */
    public AuditPages(Database db, AuditLog audit, DeviceStore devices, UserStore users, AccessRoutes access,
                      Supplier<ChainWatch.Status> chain) {
        this.db = db;
        this.audit = audit;
        this.devices = devices;
        this.users = users;
        this.access = access;
        this.chain = chain;
    }

    /** The filters of one request, as typed and as resolved to the stored values. */
    record Filters(String device, String principal, String action, String outcome, String since, String until,
                   AuditQuery query) {
        String queryString() {
            StringBuilder q = new StringBuilder();
            add(q, "device", device);
            add(q, "principal", principal);
            add(q, "action", action);
            add(q, "outcome", outcome);
            add(q, "since", since);
            add(q, "until", until);
            return q.toString();
        }

        private static void add(StringBuilder q, String name, String value) {
            if (value != null && !value.isEmpty()) {
                q.append(q.length() == 0 ? "" : "&").append(name).append('=')
                        .append(java.net.URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
    }

    public void trail(Context ctx, Caller admin) {
        Filters f = filters(ctx, PAGE + 1, after(ctx.queryParam("after")));
        List<AuditEntry> rows = db.read(c -> audit.find(c, f.query()));
        boolean more = rows.size() > PAGE;
        if (more) {
            rows = rows.subList(0, PAGE);
        }
        Map<String, String> hostnames = new HashMap<>();
        Map<String, String> userNames = new HashMap<>();
        List<AuditEntry> shown = rows;
        db.read(c -> {
            for (AuditEntry e : shown) {
                if (e.deviceId() != null && !hostnames.containsKey(e.deviceId())) {
                    hostnames.put(e.deviceId(), devices.byId(c, e.deviceId()).map(Device::hostname).orElse(null));
                }
                if (e.principal().startsWith("user:") && !userNames.containsKey(e.principal())) {
                    userNames.put(e.principal(), users.byId(c, e.principal().substring(5))
                            .map(UserStore.User::name).orElse(null));
                }
            }
            return null;
        });
        StringBuilder body = new StringBuilder("<h1>Audit trail</h1>").append(chainStatus());
        body.append(form(f));
        String qs = f.queryString();
        body.append("<p class=\"exports\">Export this view: <a id=\"export-csv\" href=\"/audit/export.csv")
                .append(qs.isEmpty() ? "" : "?" + Html.esc(qs)).append("\">CSV</a> · <a id=\"export-json\" href=\"/audit/export.json")
                .append(qs.isEmpty() ? "" : "?" + Html.esc(qs)).append("\">JSON</a></p>");
        if (rows.isEmpty()) {
            body.append("<p id=\"no-entries\">No audit entry matches.</p>");
        } else {
            body.append("<table id=\"audit\"><thead><tr><th scope=\"col\">#</th><th scope=\"col\">Time (UTC)</th>")
                    .append("<th scope=\"col\">Who</th><th scope=\"col\">Action</th><th scope=\"col\">Outcome</th>")
                    .append("<th scope=\"col\">Device</th><th scope=\"col\">Reason and detail</th></tr></thead><tbody>");
            for (AuditEntry e : rows) {
                body.append("<tr data-id=\"").append(e.id()).append("\"><td>").append(e.id()).append("</td><td>")
                        .append(Html.esc(e.at().toString())).append("</td><td>").append(principalCell(e, userNames))
                        .append("</td><td>").append(Html.esc(e.action())).append("</td><td class=\"outcome-")
                        .append(Html.esc(e.outcome())).append("\">").append(Html.esc(e.outcome())).append("</td><td>")
                        .append(deviceCell(e, hostnames)).append("</td><td>")
                        .append(e.reason() == null ? "" : "<strong>" + Html.esc(e.reason()) + "</strong> ")
                        .append(Html.esc(e.detail())).append("</td></tr>");
            }
            body.append("</tbody></table>");
            if (more) {
                body.append("<p><a id=\"next-page\" href=\"/audit?").append(Html.esc(qs)).append(qs.isEmpty() ? "" : "&amp;")
                        .append("after=").append(rows.get(rows.size() - 1).id()).append("\">Older entries</a></p>");
            }
        }
        Html.page(ctx, 200, "Audit trail", admin.principal().userName(), body.toString());
    }

    public void exportCsv(Context ctx, Caller admin) {
        Filters f = filters(ctx, EXPORT_BATCH, null);
        ctx.contentType("text/csv; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=\"castellan-audit.csv\"");
        stream(ctx, f, out -> out.write(csvLine(List.of("id", "at", "principal", "action", "outcome", "deviceId",
                "reason", "clientAddress", "detail", "hash"))), (out, e, first) -> out.write(csvLine(List.of(
                Long.toString(e.id()), e.at().toString(), e.principal(), e.action(), e.outcome(), nz(e.deviceId()),
                nz(e.reason()), nz(e.clientAddress()), nz(e.detail()), e.hash()))), out -> { });
    }

    public void exportJson(Context ctx, Caller admin) {
        Filters f = filters(ctx, EXPORT_BATCH, null);
        ctx.contentType("application/json");
        ctx.header("Content-Disposition", "attachment; filename=\"castellan-audit.json\"");
        stream(ctx, f, out -> out.write("[".getBytes(StandardCharsets.UTF_8)), (out, e, first) -> {
            if (!first) {
                out.write(",\n".getBytes(StandardCharsets.UTF_8));
            }
            out.write(Json.mapper().writeValueAsBytes(e));
        }, out -> out.write("]\n".getBytes(StandardCharsets.UTF_8)));
    }

    private interface Chunk {
        void write(OutputStream out) throws IOException;
    }

    private interface EntryWriter {
        void write(OutputStream out, AuditEntry entry, boolean first) throws IOException;
    }

    /** Keyset batches of the filtered log, newest first, each read in its own short transaction. */
    private void stream(Context ctx, Filters f, Chunk head, EntryWriter entry, Chunk tail) {
        try {
            OutputStream out = ctx.outputStream();
            head.write(out);
            Long before = null;
            boolean first = true;
            while (true) {
                AuditQuery q = f.query();
                AuditQuery page = new AuditQuery(q.deviceId(), q.principal(), q.action(), q.outcome(), q.since(),
                        q.until(), before, EXPORT_BATCH);
                List<AuditEntry> batch = db.read(c -> audit.find(c, page));
                for (AuditEntry e : batch) {
                    entry.write(out, e, first);
                    first = false;
                }
                if (batch.size() < EXPORT_BATCH) {
                    break;
                }
                before = batch.get(batch.size() - 1).id();
            }
            tail.write(out);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("audit export: the client went away", e);
        }
    }

    /**
     * One CSV record (RFC 4180: every cell quoted, quotes doubled, CRLF). A cell that a spreadsheet
     * would take as a formula (starting with {@code = + - @}, a tab or a carriage return) gets a
     * leading apostrophe, so opening an export never runs what someone typed into a reason.
     */
    static byte[] csvLine(List<String> cells) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i) == null ? "" : cells.get(i);
            if (!cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0) {
                cell = "'" + cell;
            }
            line.append(i == 0 ? "" : ",").append('"').append(cell.replace("\"", "\"\"")).append('"');
        }
        return line.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private String chainStatus() {
        ChainWatch.Status s = chain == null ? null : chain.get();
        if (s == null) {
            return "<p class=\"chain\" id=\"chain-status\" data-chain=\"unchecked\">The audit chain is not checked by this"
                    + " server; run <code>castellan-server audit verify</code>.</p>";
        }
        if (s.broken()) {
            return "<p class=\"chain error\" role=\"alert\" id=\"chain-status\" data-chain=\"broken\">Audit chain BROKEN at entry "
                    + s.brokenAt() + ": " + Html.esc(s.problem()) + ". Run <code>castellan-server audit verify</code>.</p>";
        }
        if ("verifying".equals(s.chain())) {
            return "<p class=\"chain\" id=\"chain-status\" data-chain=\"verifying\">Audit chain: first check under way"
                    + " (the same check as <code>castellan-server audit verify</code>).</p>";
        }
        return "<p class=\"chain notice\" id=\"chain-status\" data-chain=\"intact\">Audit chain intact: " + s.entriesVerified()
                + " entries verified, last full pass " + Html.esc(String.valueOf(s.lastFullPassAt()))
                + " (the check of <code>castellan-server audit verify</code>).</p>";
    }

    private static String form(Filters f) {
        StringBuilder form = new StringBuilder("<form method=\"get\" action=\"/audit\" class=\"filters\" id=\"audit-filters\">")
                .append(input("device", "Device (host name or id)", f.device(), 253))
                .append(input("principal", "Who (user name or user:ID)", f.principal(), 200))
                .append("<label for=\"action\">Action</label><input id=\"action\" name=\"action\" list=\"actions\" maxlength=\"100\"")
                .append(" autocomplete=\"off\" value=\"").append(Html.esc(f.action())).append("\"><datalist id=\"actions\">");
        for (String a : ACTIONS) {
            form.append("<option value=\"").append(Html.esc(a)).append("\">");
        }
        form.append("</datalist><label for=\"outcome\">Outcome</label><select id=\"outcome\" name=\"outcome\">")
                .append("<option value=\"\">any</option>");
        for (String o : OUTCOMES) {
            form.append("<option").append(o.equals(f.outcome()) ? " selected" : "").append('>').append(o).append("</option>");
        }
        form.append("</select>")
                .append(input("since", "From (UTC, e.g. 2026-12-01T00:00)", f.since(), 40))
                .append(input("until", "Before (UTC)", f.until(), 40))
                .append("<button type=\"submit\">Filter</button> <a href=\"/audit\">Clear</a></form>");
        return form.toString();
    }

    private static String input(String name, String label, String value, int max) {
        return "<label for=\"" + name + "\">" + Html.esc(label) + "</label><input id=\"" + name + "\" name=\"" + name
                + "\" maxlength=\"" + max + "\" autocomplete=\"off\" value=\"" + Html.esc(value) + "\">";
    }

    private static String principalCell(AuditEntry e, Map<String, String> userNames) {
        String name = userNames.get(e.principal());
        String label = name == null ? e.principal() : name;
        String link = "<a class=\"principal\" href=\"/audit?principal=" + url(e.principal()) + "\">" + Html.esc(label) + "</a>";
        if (e.principal().startsWith("user:")) {
            link += " <a class=\"access\" href=\"/access?principal=" + url(e.principal())
                    + (e.deviceId() == null ? "" : "&amp;device=" + url(e.deviceId())) + "\">access</a>";
        }
        return link;
    }

    private static String deviceCell(AuditEntry e, Map<String, String> hostnames) {
        if (e.deviceId() == null) {
            return "";
        }
        String host = hostnames.get(e.deviceId());
        return "<a class=\"device\" href=\"/devices/" + Html.esc(e.deviceId()) + "\">"
                + Html.esc(host == null ? e.deviceId() : host) + "</a> <a class=\"device-audit\" href=\"/audit?device="
                + url(e.deviceId()) + "\">entries</a>";
    }

    private static String url(String s) {
        return Html.esc(java.net.URLEncoder.encode(s, StandardCharsets.UTF_8));
    }

    /** Reads and checks the filters (a clear 400 for anything malformed) and resolves names to stored values. */
    private Filters filters(Context ctx, int limit, Long before) {
        String device = text(ctx, "device", 253);
        String principal = text(ctx, "principal", 200);
        String action = text(ctx, "action", 100);
        String outcome = text(ctx, "outcome", 20);
        String since = text(ctx, "since", 40);
        String until = text(ctx, "until", 40);
        if (action != null && !ACTION.matcher(action).matches()) {
            throw ApiException.badRequest("invalid-action", "an action is lower-case letters, digits, dots and hyphens,"
                    + " e.g. password.reveal");
        }
        if (outcome != null && !OUTCOMES.contains(outcome)) {
            throw ApiException.badRequest("invalid-outcome", "outcome must be one of " + String.join(", ", OUTCOMES));
        }
        if (principal != null && !PRINCIPAL.matcher(principal).matches()) {
            throw ApiException.badRequest("invalid-principal", "who: a user name, or user:ID, system, anonymous");
        }
        String deviceId = device == null ? null : access.deviceIdFor(device);
        String principalId = principal == null ? null : principalFor(principal);
        AuditQuery query = new AuditQuery(deviceId, principalId, action, outcome, time(since, "since"),
                time(until, "until"), before, limit);
        return new Filters(device, principal, action, outcome, since, until, query);
    }

    /** {@code user:ID}, {@code device:ID}, {@code system}, {@code anonymous} as they are; anything else is a user name. */
    private String principalFor(String text) {
        if (text.contains(":") || text.equals("system") || text.equals("anonymous")) {
            return text;
        }
        Optional<UserStore.User> user = db.read(c -> users.byName(c, text));
        return "user:" + user.orElseThrow(() -> ApiException.notFound("user-not-found", "no user is named " + text)).id();
    }

    private static String text(Context ctx, String name, int max) {
        String value = ctx.queryParam(name);
        if (value == null) {
            return null;
        }
        TextRules.optional(value, name, max);
        String stripped = TextRules.strip(value);
        return stripped.isEmpty() ? null : stripped;
    }

    /** An ISO instant ({@code …Z}) or a browser's local date-time, taken as UTC. */
    static Instant time(String value, String name) {
        if (value == null) {
            return null;
        }
        try {
            return value.endsWith("Z") ? Instant.parse(value) : LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("invalid-" + name, "'" + name + "' must be a UTC time such as 2026-12-01T00:00");
        }
    }

    private static Long after(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (!value.matches("[0-9]{1,18}")) {
            throw ApiException.badRequest("invalid-after", "that page link is not valid; filter again");
        }
        return Long.parseLong(value);
    }

    private static List<String> knownActions() {
        TreeSet<String> out = new TreeSet<>();
        for (Field field : AuditActions.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                try {
                    out.add((String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return List.copyOf(out);
    }
}
