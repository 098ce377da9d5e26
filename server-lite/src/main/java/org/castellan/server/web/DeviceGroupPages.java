package org.castellan.server.web;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.List;
import java.util.Map;
import org.castellan.api.DeviceGroupMemberView;
import org.castellan.api.DeviceGroupView;
import org.castellan.server.admin.DeviceGroupMemberRoutes;
import org.castellan.server.admin.DeviceGroupRoutes;
import org.castellan.server.http.ApiException;
import org.castellan.server.devices.Device;
import org.castellan.server.groups.DeviceGroupRow;
import org.castellan.server.guard.Caller;

/**
 * {@code /admin/device-groups}: groups of explicit devices and/or a match (host-name pattern, OS),
 * with a preview of the devices a match selects before the group is saved, and
 * {@code /admin/device-groups/{id}/edit} to change one. Preview and save read the same form;
 * saving calls {@link DeviceGroupRoutes#create(Caller, DeviceGroupRoutes.Body)} or
 * {@link DeviceGroupRoutes#update(Caller, String, DeviceGroupRoutes.Body)}, the methods behind the
 * API's POST and PUT, so a form is refused for the same reasons as a JSON body. The edit page
 * shows the group's devices a page at a time (a group may hold most of the fleet), each explicit
 * member with a Remove button, and a form that adds and removes members through
 * {@link DeviceGroupMemberRoutes#change}, the method behind the API's {@code POST .../members};
 * saving the edit form keeps the members as they are.
 */
public final class DeviceGroupPages {
    static final int PREVIEW = 50;
    /** Members shown per page of the edit page. */
    static final int MEMBERS = 50;
    private static final Map<String, String> DONE = Map.of("created", "Device group created.", "updated",
            "Device group saved.", "deleted", "Device group deleted.", "members", "Members changed.");
    private static final List<Forms.Option> OSES = List.of(new Forms.Option("", "any"),
            new Forms.Option("linux", "Linux"), new Forms.Option("windows", "Windows"), new Forms.Option("macos", "macOS"));
    private final DeviceGroupRoutes groups;
    private final DeviceGroupMemberRoutes members;
    private final RefNames names;

    DeviceGroupPages(DeviceGroupRoutes groups, DeviceGroupMemberRoutes members, RefNames names) {
        this.groups = groups;
        this.members = members;
        this.names = names;
    }

    /** What the form holds, as typed ({@code devices}: on the new-group form only). */
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

        /** The group's definition as it is (its members are shown and changed apart). */
        static Draft of(DeviceGroupView g) {
            return new Draft(g.name(), "",
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

    /** The form for one group, filled in with what it holds now, and a page of its devices. */
    public void edit(Context ctx, Caller admin) {
        DeviceGroupView group = groups.one(ctx.pathParam("id"));
        renderEdit(ctx, admin, group, Draft.of(group), "");
    }

    private void renderEdit(Context ctx, Caller admin, DeviceGroupView group, Draft draft, String preview) {
        String base = "/admin/device-groups/" + group.id();
        String body = "<h1>Device group " + Html.esc(group.name()) + "</h1>" + AdminPages.notice(ctx, DONE)
                + "<p><code>" + Html.esc(group.id())
                + "</code> · <a id=\"back-to-groups\" href=\"/admin/device-groups\">All device groups</a></p>" + preview
                + membersSection(ctx, group)
                + Forms.form(ctx, base + "/edit", "device-group-edit-form", "stack",
                        "<h2>Edit device group</h2>" + fields(draft, base + "/preview", false));
        AdminPages.page(ctx, 200, admin, "Device group " + group.name(), "/admin/device-groups", body);
    }

    /**
     * One page of the group's devices in id order ({@code ?after=} the last id of the page before),
     * each explicit member with a Remove button, deleted ones marked (their secrets stay revealable,
     * to whom this group's rules allow, until they are purged or removed), and the add/remove form.
     */
    private String membersSection(Context ctx, DeviceGroupView group) {
        String after = ctx.queryParam("after");
        if (after != null && (after.isEmpty() || after.length() > 64)) {
            throw ApiException.badRequest("invalid-cursor", "that page link is not valid; start again");
        }
        String base = "/admin/device-groups/" + group.id();
        List<DeviceGroupMemberView> page = members.page(group.id(), after, MEMBERS + 1);
        StringBuilder out = new StringBuilder("<section id=\"dg-members\"><h2>Devices</h2><p id=\"dg-member-count\">")
                .append(group.memberCount()).append(" listed")
                .append(group.matchedCount() == null ? "" : ", " + group.matchedCount() + " matching").append("</p>");
        if (page.isEmpty()) {
            out.append("<p id=\"no-members\">").append(after == null ? "No devices in this group." : "No more devices.")
                    .append("</p>");
        } else {
            out.append("<table id=\"dg-member-table\"><thead><tr><th scope=\"col\">Host name</th><th scope=\"col\">Id</th>")
                    .append("<th scope=\"col\">In the group because</th><th scope=\"col\"></th></tr></thead><tbody>");
            for (DeviceGroupMemberView m : page.subList(0, Math.min(MEMBERS, page.size()))) {
                out.append("<tr data-member=\"").append(Html.esc(m.hostname())).append("\"><td>").append(Html.esc(m.hostname()))
                        .append(m.deleted() ? " <strong class=\"deleted\">(deleted)</strong>" : "").append("</td><td><code>")
                        .append(Html.esc(m.id())).append("</code></td><td>")
                        .append(m.explicit() && m.matched() ? "listed and matching" : m.explicit() ? "listed" : "matching")
                        .append("</td><td>");
                if (m.explicit()) {
                    out.append(Forms.form(ctx, base + "/members", "dg-remove-" + m.id(), "inline",
                            "<input type=\"hidden\" name=\"remove\" value=\"" + Html.esc(m.id())
                                    + "\"><button type=\"submit\">Remove</button>"));
                }
                out.append("</td></tr>");
            }
            out.append("</tbody></table>");
            if (page.size() > MEMBERS) {
                out.append("<p><a id=\"members-next-page\" href=\"").append(Html.esc(base)).append("/edit?after=")
                        .append(Html.esc(page.get(MEMBERS - 1).id())).append("\">Next page</a></p>");
            }
        }
        String fields = Forms.input("dg-add", "add", "Add devices by host name (comma separated)", "text", 2000, "", false)
                + Forms.input("dg-remove", "remove", "Remove devices by host name or id (comma separated)", "text", 2000,
                        "", false)
                + "<div class=\"buttons\"><button type=\"submit\" id=\"dg-members-save\">Change members</button></div>";
        return out.append(Forms.form(ctx, base + "/members", "dg-members-form", "stack", fields)).append("</section>")
                .toString();
    }

    /**
     * The add/remove form and the Remove buttons, through the API's member change: host names to
     * add must name live devices (checked here, as on the other forms), those to remove may be ids
     * (a deleted member's host name may belong to a new device by now).
     */
    public void changeMembers(Context ctx, Caller admin) {
        String id = ctx.pathParam("id");
        List<String> add = names.deviceIds(Forms.list(ctx, "add"), "add");
        List<String> remove = Forms.list(ctx, "remove");
        members.change(admin, id, new DeviceGroupMemberRoutes.Change(add, remove));
        ctx.redirect("/admin/device-groups/" + id + "/edit?done=members", HttpStatus.SEE_OTHER);
    }

    /** The group's fields; {@code withDevices} on the new-group form (an edit changes members apart). */
    private static String fields(Draft draft, String previewAction, boolean withDevices) {
        return Forms.input("dg-name", "name", "Name", "text", 100, draft.name(), false)
                + (withDevices ? Forms.input("dg-devices", "devices", "Devices by host name (comma separated, optional)",
                        "text", 2000, draft.devices(), false) : "")
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
                // Counted, not listed: a group may hold most of the fleet; its edit page pages them.
                body.append(g.memberCount()).append(" listed")
                        .append(g.matchedCount() == null ? "" : "<br>" + g.matchedCount() + " matching");
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
        String fields = "<h2>New device group</h2>" + fields(draft, "/admin/device-groups/preview", true);
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
        List<String> explicit = explicit(ctx);
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

    /** The explicit members the new-group form asks for: the live devices typed by host name. */
    private List<String> explicit(Context ctx) {
        return List.copyOf(new java.util.LinkedHashSet<>(names.deviceIds(Forms.list(ctx, "devices"), "devices")));
    }

    public void create(Context ctx, Caller admin) {
        Draft draft = Draft.of(ctx);
        List<String> explicit = explicit(ctx);
        groups.create(admin, new DeviceGroupRoutes.Body(null, Forms.text(ctx, "name"), explicit, draft.match(),
                draft.policy().isBlank() ? null : draft.policy()));
        ctx.redirect("/admin/device-groups?done=created", HttpStatus.SEE_OTHER);
    }

    /**
     * Saves the edit form through the API's PUT method: name, match and policy replaced, members
     * kept as they are (no {@code devices} sent; they change through the members form).
     */
    public void update(Context ctx, Caller admin) {
        String id = ctx.pathParam("id");
        Draft draft = Draft.of(ctx);
        groups.update(admin, id, new DeviceGroupRoutes.Body(null, Forms.text(ctx, "name"), null, draft.match(),
                draft.policy().isBlank() ? null : draft.policy()));
        ctx.redirect("/admin/device-groups?done=updated", HttpStatus.SEE_OTHER);
    }

    public void delete(Context ctx, Caller admin) {
        groups.delete(admin, ctx.pathParam("id"));
        ctx.redirect("/admin/device-groups?done=deleted", HttpStatus.SEE_OTHER);
    }
}
