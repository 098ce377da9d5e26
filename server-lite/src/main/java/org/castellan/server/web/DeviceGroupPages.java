package org.castellan.server.web;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.List;
import java.util.Map;
import org.castellan.api.DeviceGroupView;
import org.castellan.server.admin.DeviceGroupRoutes;
import org.castellan.server.devices.Device;
import org.castellan.server.groups.DeviceGroupRow;
import org.castellan.server.guard.Caller;

/**
 * {@code /admin/device-groups}: groups of explicit devices and/or a match (host-name pattern, OS),
 * with a preview of the devices a match selects before the group is saved, and
 * {@code /admin/device-groups/{id}/edit} to change one. Preview and save read the same form;
 * saving calls {@link DeviceGroupRoutes#create(Caller, DeviceGroupRoutes.Body)} or
 * {@link DeviceGroupRoutes#update(Caller, String, DeviceGroupRoutes.Body)}, the methods behind the
 * API's POST and PUT, so a form is refused for the same reasons as a JSON body.
 */
public final class DeviceGroupPages {
    static final int PREVIEW = 50;
    private static final Map<String, String> DONE = Map.of("created", "Device group created.", "updated",
            "Device group saved.", "deleted", "Device group deleted.");
    private static final List<Forms.Option> OSES = List.of(new Forms.Option("", "any"),
            new Forms.Option("linux", "Linux"), new Forms.Option("windows", "Windows"), new Forms.Option("macos", "macOS"));
    private final DeviceGroupRoutes groups;
    private final RefNames names;

    DeviceGroupPages(DeviceGroupRoutes groups, RefNames names) {
        this.groups = groups;
        this.names = names;
    }

    /** What the form holds, as typed. */
    private record Draft(String name, String devices, String hostname, String os, String policy) {
        static final Draft EMPTY = new Draft("", "", "", "", "");

        static Draft of(Context ctx) {
            return new Draft(orEmpty(Forms.text(ctx, "name")), orEmpty(Forms.text(ctx, "devices")),
                    orEmpty(Forms.text(ctx, "hostname")), orEmpty(Forms.text(ctx, "os")), orEmpty(Forms.text(ctx, "policy")));
        }

        DeviceGroupRow.Match match() {
            String h = hostname.isBlank() ? null : hostname.strip();
            String o = os.isBlank() ? null : os;
            return h == null && o == null ? null : new DeviceGroupRow.Match(h, o);
        }

        static Draft of(DeviceGroupView g, RefNames names) {
            return new Draft(g.name(), String.join(", ", g.devices().stream().map(names::hostname).toList()),
                    g.match() == null || g.match().hostname() == null ? "" : g.match().hostname(),
                    g.match() == null || g.match().os() == null ? "" : g.match().os(),
                    g.policy() == null ? "" : g.policy());
        }

        private static String orEmpty(String s) {
            return s == null ? "" : s;
        }
    }

    public void list(Context ctx, Caller admin) {
        render(ctx, admin, Draft.EMPTY, "");
    }

    /** The form for one group, filled in with what it holds now. */
    public void edit(Context ctx, Caller admin) {
        DeviceGroupView group = groups.one(ctx.pathParam("id"));
        renderEdit(ctx, admin, group, Draft.of(group, names), "");
    }

    private void renderEdit(Context ctx, Caller admin, DeviceGroupView group, Draft draft, String preview) {
        String base = "/admin/device-groups/" + group.id();
        String body = "<h1>Device group " + Html.esc(group.name()) + "</h1><p><code>" + Html.esc(group.id())
                + "</code> · <a id=\"back-to-groups\" href=\"/admin/device-groups\">All device groups</a></p>" + preview
                + Forms.form(ctx, base + "/edit", "device-group-edit-form", "stack",
                        "<h2>Edit device group</h2>" + fields(draft, base + "/preview"));
        AdminPages.page(ctx, 200, admin, "Device group " + group.name(), "/admin/device-groups", body);
    }

    private static String fields(Draft draft, String previewAction) {
        return Forms.input("dg-name", "name", "Name", "text", 100, draft.name(), false)
                + Forms.input("dg-devices", "devices", "Devices by host name (comma separated, optional)", "text", 2000,
                        draft.devices(), false)
                + "<fieldset><legend>And every device that matches (optional)</legend>"
                + Forms.input("dg-hostname", "hostname", "Host name pattern (* and ? are wildcards)", "text", 253,
                        draft.hostname(), false)
                + Forms.select("dg-os", "os", "Operating system", false, OSES, List.of(draft.os()))
                + "</fieldset>"
                + Forms.input("dg-policy", "policy", "Policy (optional)", "text", 64, draft.policy(), false)
                + "<div class=\"buttons\"><button type=\"submit\" id=\"dg-preview\" formaction=\"" + Html.esc(previewAction)
                + "\">Preview matching devices</button><button type=\"submit\" id=\"dg-save\">Save group</button></div>";
    }

    private void render(Context ctx, Caller admin, Draft draft, String preview) {
        StringBuilder body = new StringBuilder("<h1>Device groups</h1>").append(AdminPages.notice(ctx, DONE));
        List<DeviceGroupView> all = groups.all();
        if (all.isEmpty()) {
            body.append("<p id=\"no-device-groups\">No device groups yet.</p>");
        } else {
            body.append("<table id=\"device-groups\"><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Devices</th>")
                    .append("<th scope=\"col\">Match</th><th scope=\"col\">Policy</th><th scope=\"col\"></th></tr></thead><tbody>");
            for (DeviceGroupView g : all) {
                body.append("<tr data-group=\"").append(Html.esc(g.name())).append("\"><td>").append(Html.esc(g.name()))
                        .append("<br><code>").append(Html.esc(g.id())).append("</code></td><td>");
                g.devices().forEach(id -> body.append(names.ref("device:" + id)).append("<br>"));
                body.append("</td><td>").append(g.match() == null ? "—" : Html.esc(describe(g.match().hostname(),
                                g.match().os())))
                        .append("</td><td>").append(Html.esc(g.policy() == null ? "—" : g.policy())).append("</td><td>")
                        .append("<a id=\"edit-device-group-").append(Html.esc(g.id()))
                        .append("\" href=\"/admin/device-groups/").append(Html.esc(g.id())).append("/edit\">Edit</a> ")
                        .append(Forms.button(ctx, "/admin/device-groups/" + g.id() + "/delete", "delete-device-group-"
                                + g.id(), "Delete")).append("</td></tr>");
            }
            body.append("</tbody></table>");
        }
        String fields = "<h2>New device group</h2>" + fields(draft, "/admin/device-groups/preview");
        body.append(preview).append(Forms.form(ctx, "/admin/device-groups", "device-group-form", "stack", fields));
        AdminPages.page(ctx, 200, admin, "Device groups", "/admin/device-groups", body.toString());
    }

    private static String describe(String hostname, String os) {
        return (hostname == null ? "" : "host name " + hostname) + (hostname != null && os != null ? " and " : "")
                + (os == null ? "" : "OS " + os);
    }

    /** The form again, with the devices the group would hold now: nothing is saved. */
    public void preview(Context ctx, Caller admin) {
        Draft draft = Draft.of(ctx);
        render(ctx, admin, draft, previewOf(ctx, draft));
    }

    /** The edit form again, with the devices the group would hold after saving: nothing is saved. */
    public void previewEdit(Context ctx, Caller admin) {
        DeviceGroupView group = groups.one(ctx.pathParam("id"));
        Draft draft = Draft.of(ctx);
        renderEdit(ctx, admin, group, draft, previewOf(ctx, draft));
    }

    private String previewOf(Context ctx, Draft draft) {
        List<String> explicit = names.deviceIds(Forms.list(ctx, "devices"), "devices");
        DeviceGroupRow.Match match = draft.match();
        DeviceGroupRoutes.Preview found = groups.preview(match, PREVIEW);
        StringBuilder out = new StringBuilder("<section id=\"preview\"><h2>Preview: not saved yet</h2>");
        if (!explicit.isEmpty()) {
            out.append("<p>Named: ");
            explicit.forEach(id -> out.append(names.ref("device:" + id)).append(" "));
            out.append("</p>");
        }
        if (match == null) {
            out.append("<p id=\"preview-none\">No match given: the group holds only the devices named.</p>");
        } else if (found.devices().isEmpty()) {
            out.append("<p id=\"preview-empty\">No device matches ").append(Html.esc(describe(match.hostname(), match.os())))
                    .append(" now; devices that match later join the group.</p>");
        } else {
            out.append("<p>Devices matching ").append(Html.esc(describe(match.hostname(), match.os()))).append(" now")
                    .append(found.more() ? " (the first " + PREVIEW + ")" : "").append(":</p><ul id=\"preview-devices\">");
            for (Device d : found.devices()) {
                out.append("<li>").append(Html.esc(d.hostname())).append(" <span class=\"muted\">")
                        .append(Html.esc(d.os())).append("</span></li>");
            }
            out.append("</ul>").append(found.more() ? "<p id=\"preview-more\">…and more.</p>" : "");
        }
        return out.append("</section>").toString();
    }

    public void create(Context ctx, Caller admin) {
        Draft draft = Draft.of(ctx);
        List<String> explicit = names.deviceIds(Forms.list(ctx, "devices"), "devices");
        groups.create(admin, new DeviceGroupRoutes.Body(null, Forms.text(ctx, "name"), explicit, draft.match(),
                draft.policy().isBlank() ? null : draft.policy()));
        ctx.redirect("/admin/device-groups?done=created", HttpStatus.SEE_OTHER);
    }

    /** Saves the edit form through the API's PUT method (the whole group is replaced, as PUT does). */
    public void update(Context ctx, Caller admin) {
        String id = ctx.pathParam("id");
        Draft draft = Draft.of(ctx);
        List<String> explicit = names.deviceIds(Forms.list(ctx, "devices"), "devices");
        groups.update(admin, id, new DeviceGroupRoutes.Body(null, Forms.text(ctx, "name"), explicit, draft.match(),
                draft.policy().isBlank() ? null : draft.policy()));
        ctx.redirect("/admin/device-groups?done=updated", HttpStatus.SEE_OTHER);
    }

    public void delete(Context ctx, Caller admin) {
        groups.delete(admin, ctx.pathParam("id"));
        ctx.redirect("/admin/device-groups?done=deleted", HttpStatus.SEE_OTHER);
    }
}
