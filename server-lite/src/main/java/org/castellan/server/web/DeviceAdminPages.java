package org.castellan.server.web;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.castellan.api.DeviceView;
import org.castellan.server.admin.DeviceRoutes;
import org.castellan.server.guard.Caller;
import org.castellan.server.guard.DeviceGrant;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.TextRules;

/**
 * A device's lifecycle in the console: the admins' device list ({@code /admin/devices}, live or
 * deleted), and a device's manage page ({@code /devices/{id}/manage}: approve, disable, enable,
 * delete, purge). The actions are registered with the API's guards (permission
 * {@code device.manage}; purge admin only) and call {@link DeviceRoutes}' shared methods, so a
 * deleted device keeps its secrets, revealable and audited, for the same retention as through
 * the API. Deleting also asks for the host name to be typed, which the API's caller does by
 * naming the id.
 */
public final class DeviceAdminPages {
    static final int PAGE = 50;
    private static final Map<String, String> DONE = Map.of("approved", "Device approved.", "disabled",
            "Device disabled: its secrets are withheld and its agent is refused until it is enabled.",
            "enabled", "Device enabled.", "deleted", "Device deleted.", "purged",
            "Deleted device purged: its passwords and recovery keys are gone.");
    private final DeviceRoutes devices;
    private final Duration retention;

    DeviceAdminPages(DeviceRoutes devices, Duration retention) {
        this.devices = devices;
        this.retention = retention;
    }

    public void list(Context ctx, Caller admin) {
        boolean deleted = "true".equals(ctx.queryParam("deleted"));
        String hostname = ctx.queryParam("hostname");
        hostname = hostname == null || hostname.isBlank() ? null : TextRules.hostname(hostname.strip());
        String after = ctx.queryParam("after");
        if (after != null && (after.isEmpty() || after.length() > 64)) {
            throw ApiException.badRequest("invalid-cursor", "that page link is not valid; start again");
        }
        List<DeviceView> page = devices.page(admin.principal(), hostname, after, PAGE, deleted);
        StringBuilder body = new StringBuilder("<h1>Devices</h1>").append(AdminPages.notice(ctx, DONE))
                .append("<p class=\"tabs\"><a href=\"/admin/devices\" id=\"live-devices\"")
                .append(deleted ? "" : " aria-current=\"page\"").append(">Registered</a> <a href=\"/admin/devices?deleted=true\"")
                .append(" id=\"deleted-devices\"").append(deleted ? " aria-current=\"page\"" : "")
                .append(">Deleted (secrets kept ").append(retention.toDays()).append(" days)</a></p>")
                .append("<form method=\"get\" action=\"/admin/devices\" class=\"search\" id=\"device-filter\">")
                .append(deleted ? "<input type=\"hidden\" name=\"deleted\" value=\"true\">" : "")
                .append("<label for=\"hostname\">Host name</label><input id=\"hostname\" name=\"hostname\" maxlength=\"253\"")
                .append(" value=\"").append(Html.esc(hostname)).append("\"><button type=\"submit\">Filter</button></form>");
        if (page.isEmpty()) {
            body.append("<p id=\"no-devices\">No ").append(deleted ? "deleted " : "").append("devices.</p>");
        } else {
            body.append("<table id=\"devices\"><thead><tr><th scope=\"col\">Host name</th><th scope=\"col\">OS</th>")
                    .append("<th scope=\"col\">Status</th><th scope=\"col\">")
                    .append(deleted ? "Secrets kept until" : "Last seen").append("</th></tr></thead><tbody>");
            for (DeviceView d : page.subList(0, Math.min(PAGE, page.size()))) {
                body.append("<tr data-device=\"").append(Html.esc(d.hostname())).append("\"><td><a href=\"/devices/")
                        .append(Html.esc(d.id())).append("/manage\">").append(Html.esc(d.hostname())).append("</a></td><td>")
                        .append(Html.esc(d.os())).append("</td><td class=\"status\">").append(Html.esc(d.status()))
                        .append("</td><td>").append(Forms.time(deleted ? d.purgeAfter() : d.lastSeenAt())).append("</td></tr>");
            }
            body.append("</tbody></table>");
            if (page.size() > PAGE) {
                body.append("<p><a id=\"next-page\" href=\"/admin/devices?").append(deleted ? "deleted=true&amp;" : "")
                        .append(hostname == null ? "" : "hostname=" + Html.esc(hostname) + "&amp;").append("after=")
                        .append(Html.esc(page.get(PAGE - 1).id())).append("\">Next page</a></p>");
            }
        }
        AdminPages.page(ctx, 200, admin, "Devices", "/admin/devices", body.toString());
    }

    /** What may be done to one device; the forms show what its state allows, the guards decide who may. */
    public void manage(Context ctx, Caller caller) {
        DeviceView d = devices.lookup(caller.principal(), ctx.pathParam("id"));
        String base = "/devices/" + d.id();
        StringBuilder body = new StringBuilder("<h1 id=\"hostname\">").append(Html.esc(d.hostname())).append("</h1>")
                .append(AdminPages.notice(ctx, DONE))
                .append("<dl class=\"facts\"><dt>Status</dt><dd id=\"status\">").append(Html.esc(d.status()))
                .append("</dd><dt>Registered</dt><dd>").append(Forms.time(d.registeredAt()))
                .append("</dd><dt>Last seen</dt><dd>").append(Forms.time(d.lastSeenAt())).append("</dd></dl>");
        if (d.deletedAt() != null) {
            body.append("<p id=\"retention\">Deleted ").append(Forms.time(d.deletedAt()))
                    .append(". Its passwords and recovery keys stay revealable, audited, until ")
                    .append(Forms.time(d.purgeAfter())).append(", then they are purged.</p>")
                    .append("<p><a href=\"").append(base).append("\" id=\"reveal-link\">Reveal from the device page</a></p>");
            if (caller.principal().admin()) {
                body.append(Forms.form(ctx, base + "/purge", "purge", "stack", "<h2>Purge now</h2>"
                        + Forms.input("purge-reason", "reason", "Reason (required)", "text", 500, "", true)
                        + "<button type=\"submit\">Purge its secrets now</button>"));
            }
        } else {
            if ("pending-approval".equals(d.status())) {
                body.append(action(ctx, base + "/approve", "approve", "Approve"));
            }
            if (d.status().equals("disabled")) {
                body.append(action(ctx, base + "/enable", "enable", "Enable"));
            } else {
                body.append(action(ctx, base + "/disable", "disable", "Disable"));
            }
            body.append(Forms.form(ctx, base + "/delete", "delete", "stack", "<h2>Delete</h2>"
                    + "<p>The device leaves the lists and its agent is refused; its passwords and recovery keys stay"
                    + " revealable, audited, for " + retention.toDays() + " days.</p>"
                    + Forms.input("delete-confirm", "confirm", "Type the host name to confirm", "text", 253, "", true)
                    + Forms.input("delete-reason", "reason", "Reason (e.g. ticket number)", "text", 500, "", false)
                    + "<button type=\"submit\">Delete device</button>"));
        }
        body.append("<p><a href=\"").append(base).append("\">Back to the device</a></p>");
        Html.page(ctx, 200, "Manage " + d.hostname(), caller.principal().userName(), body.toString());
    }

    private static String action(Context ctx, String path, String id, String label) {
        return Forms.form(ctx, path, id, "stack", Forms.input(id + "-reason", "reason", "Reason (optional)", "text", 500,
                "", false) + "<button type=\"submit\">" + label + "</button>");
    }

    public void approve(Context ctx, DeviceGrant grant) {
        devices.approve(grant);
        done(ctx, grant, "approved");
    }

    public void disable(Context ctx, DeviceGrant grant) {
        devices.disable(grant);
        done(ctx, grant, "disabled");
    }

    public void enable(Context ctx, DeviceGrant grant) {
        devices.enable(grant);
        done(ctx, grant, "enabled");
    }

    public void delete(Context ctx, DeviceGrant grant) {
        String confirm = Forms.text(ctx, "confirm");
        if (confirm == null || !confirm.strip().equalsIgnoreCase(grant.device().hostname())) {
            throw ApiException.badRequest("confirm-hostname",
                    "to delete this device, type its host name exactly in the confirmation field; nothing was deleted");
        }
        devices.delete(grant);
        done(ctx, grant, "deleted");
    }

    public void purge(Context ctx, Caller admin) {
        devices.purge(admin, ctx.pathParam("id"), Forms.text(ctx, "reason"));
        ctx.redirect("/admin/devices?deleted=true&done=purged", HttpStatus.SEE_OTHER);
    }

    private static void done(Context ctx, DeviceGrant grant, String what) {
        ctx.redirect("/devices/" + grant.device().id() + "/manage?done=" + what, HttpStatus.SEE_OTHER);
    }
}
