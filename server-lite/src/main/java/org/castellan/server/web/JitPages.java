package org.castellan.server.web;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.List;
import java.util.Map;
import org.castellan.api.DeviceView;
import org.castellan.api.JitGrantView;
import org.castellan.server.admin.DeviceRoutes;
import org.castellan.server.admin.JitRoutes;
import org.castellan.server.guard.Caller;
import org.castellan.server.guard.DeviceGrant;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.TextRules;

/**
 * Just-in-time admin rights in the console: {@code /jit} lists the requests on devices the user
 * holds {@code device.jit} on (pending and active first) with approve and revoke, and
 * {@code /devices/{id}/jit} asks for rights on one device. The posts are registered with the
 * API's permission guard and call {@link JitRoutes}' shared methods: the same rules, reasons,
 * second-person approval (never the requester), audit rows and notifications as the CLI and API.
 */
public final class JitPages {
    static final List<Forms.Option> DURATIONS = List.of(new Forms.Option("15", "15 minutes"),
            new Forms.Option("30", "30 minutes"), new Forms.Option("60", "1 hour"), new Forms.Option("120", "2 hours"),
            new Forms.Option("240", "4 hours"), new Forms.Option("480", "8 hours"), new Forms.Option("1440", "1 day"));
    private static final Map<String, String> DONE = Map.of("requested", "Request recorded.", "approved",
            "Request approved: the device grants the right at its next check-in.", "revoked",
            "Revoked: the device removes the right at its next check-in.");
    private final JitRoutes jit;
    private final DeviceRoutes devices;
    private final RefNames names;

    JitPages(JitRoutes jit, DeviceRoutes devices, RefNames names) {
        this.jit = jit;
        this.devices = devices;
        this.names = names;
    }

    /** Every visible request; {@code ?host=NAME} goes to that device's request form when the user may see it. */
    public void list(Context ctx, Caller caller) {
        String host = ctx.queryParam("host");
        String missing = null;
        if (host != null && !host.isBlank()) {
            String hostname = TextRules.hostname(host.strip());
            List<DeviceView> found = devices.page(caller.principal(), hostname, null, 1, false);
            if (found.size() == 1) {
                ctx.redirect("/devices/" + found.get(0).id() + "/jit", HttpStatus.SEE_OTHER);
                return;
            }
            missing = found.isEmpty() ? "No machine you may see is named " + hostname + "."
                    : "More than one machine is named " + hostname + "; pick it from the search.";
        }
        List<JitGrantView> grants = jit.visible(caller.principal(), null);
        StringBuilder body = new StringBuilder("<h1>Just-in-time admin rights</h1>").append(AdminPages.notice(ctx, DONE))
                .append(Html.message("error", missing))
                .append("<form method=\"get\" action=\"/jit\" class=\"search\" id=\"jit-find\">")
                .append("<label for=\"host\">Request rights on the machine named</label>")
                .append("<input id=\"host\" name=\"host\" maxlength=\"253\" autocomplete=\"off\">")
                .append("<button type=\"submit\">Next</button></form>")
                .append(table(ctx, caller, grants, "jit-requests"));
        Html.page(ctx, 200, "Just-in-time admin rights", caller.principal().userName(), body.toString());
    }

    /** One device: the request form and its requests. 403 (404 for admins) as the device page answers. */
    public void device(Context ctx, Caller caller) {
        DeviceView d = devices.lookup(caller.principal(), ctx.pathParam("id"));
        String base = "/devices/" + d.id();
        String fields = "<h2>Request admin rights</h2>"
                + Forms.input("jit-user", "user", "For the user (local name, user@domain or DOMAIN\\user)", "text", 64, "",
                        true)
                + Forms.select("jit-minutes", "minutes", "For", false, DURATIONS, List.of("120"))
                + Forms.input("jit-reason", "reason", "Reason (e.g. ticket number)", "text", 500, "", false)
                + "<button type=\"submit\">Request</button>";
        Html.page(ctx, 200, "Admin rights on " + d.hostname(), caller.principal().userName(),
                "<h1 id=\"hostname\">Admin rights on " + Html.esc(d.hostname()) + "</h1>" + AdminPages.notice(ctx, DONE)
                        + Forms.form(ctx, base + "/jit", "jit-request", "stack", fields)
                        + table(ctx, caller, jit.visible(caller.principal(), d.id()), "jit-device-requests")
                        + "<p><a href=\"" + base + "\">Back to the device</a></p>");
    }

    private String table(Context ctx, Caller caller, List<JitGrantView> grants, String id) {
        if (grants.isEmpty()) {
            return "<p id=\"" + id + "-none\">No requests you may see.</p>";
        }
        StringBuilder out = new StringBuilder("<table id=\"").append(id).append("\"><thead><tr>")
                .append("<th scope=\"col\">Machine</th><th scope=\"col\">User</th><th scope=\"col\">For</th>")
                .append("<th scope=\"col\">Status</th><th scope=\"col\">Requested by</th><th scope=\"col\">Reason</th>")
                .append("<th scope=\"col\"></th></tr></thead><tbody>");
        List<JitGrantView> ordered = grants.stream().sorted((a, b) -> Integer.compare(rank(a.status()), rank(b.status())))
                .toList();
        for (JitGrantView g : ordered) {
            String base = "/devices/" + g.deviceId() + "/jit/" + g.id();
            boolean mine = g.requestedBy().equals(caller.principal().id());
            out.append("<tr data-jit=\"").append(Html.esc(g.id())).append("\"><td><a href=\"/devices/")
                    .append(Html.esc(g.deviceId())).append("/jit\">").append(Html.esc(g.hostname())).append("</a></td><td>")
                    .append(Html.esc(g.user())).append("</td><td>").append(g.minutes()).append(" min</td><td class=\"status\">")
                    .append(Html.esc(status(g))).append("</td><td>").append(Html.esc(names.principalName(g.requestedBy())))
                    .append(g.approvedBy() == null ? "" : "<br>approved by " + Html.esc(names.principalName(g.approvedBy())))
                    .append("</td><td>").append(Html.esc(g.reason() == null ? "—" : g.reason())).append("</td><td>");
            if ("pending".equals(g.status())) {
                out.append(mine ? "<span class=\"hint\">waits for someone else to approve</span>"
                        : action(ctx, base + "/approve", "approve-" + g.id(), "Approve"));
            }
            if ("pending".equals(g.status()) || "active".equals(g.status())) {
                out.append(action(ctx, base + "/revoke", "revoke-" + g.id(), "Revoke"));
            }
            out.append("</td></tr>");
        }
        return out.append("</tbody></table>").toString();
    }

    private static int rank(String status) {
        return switch (status) {
            case "pending" -> 0;
            case "active" -> 1;
            default -> 2;
        };
    }

    private static String status(JitGrantView g) {
        return switch (g.status()) {
            case "active" -> "active until " + g.expiresAt() + (g.agentState() == null ? "" : " (device: " + g.agentState() + ")");
            case "pending" -> "pending approval";
            default -> g.status();
        };
    }

    private static String action(Context ctx, String path, String id, String label) {
        return Forms.form(ctx, path, id, "inline", "<input name=\"reason\" maxlength=\"500\" placeholder=\"reason\""
                + " aria-label=\"Reason\" autocomplete=\"off\"><button type=\"submit\">" + label + "</button>");
    }

    public void request(Context ctx, DeviceGrant grant) {
        Long minutes;
        String value = Forms.text(ctx, "minutes");
        try {
            minutes = value == null ? null : Long.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid-minutes", "field 'minutes' must be a whole number");
        }
        jit.request(grant, new JitRoutes.RequestBody(Forms.text(ctx, "user"), minutes));
        ctx.redirect("/devices/" + grant.device().id() + "/jit?done=requested", HttpStatus.SEE_OTHER);
    }

    public void approve(Context ctx, DeviceGrant grant) {
        jit.approve(grant, ctx.pathParam("grantId"));
        ctx.redirect("/jit?done=approved", HttpStatus.SEE_OTHER);
    }

    public void revoke(Context ctx, DeviceGrant grant) {
        jit.revoke(grant, ctx.pathParam("grantId"));
        ctx.redirect("/jit?done=revoked", HttpStatus.SEE_OTHER);
    }
}
