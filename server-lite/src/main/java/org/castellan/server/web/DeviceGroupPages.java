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
 * API's POST and PUT, so a form is refused for the same reasons as a JSON body. The edit form
 * shows deleted members apart from the host-name field, marked deleted, each with a box: ticked it
 * stays (as the API's PUT keeps a member it already has), cleared it is removed.
 */
public final class DeviceGroupPages {
    static final int PREVIEW = 50;
    /** The edit form's boxes for deleted members: each ticked one stays in the group. */
    static final String KEEP_DELETED = "keep-deleted";
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

    /**
     * What the form holds, as typed; {@code keptDeleted}: the ids of the group's deleted members
     * whose box is ticked (on the edit form only).
     */
    private record Draft(String name, String devices, String hostname, String os, String policy,
                         List<String> keptDeleted) {
        static final Draft EMPTY = new Draft("", "", "", "", "", List.of());

        static Draft of(Context ctx) {
            return new Draft(orEmpty(Forms.text(ctx, "name")), orEmpty(Forms.text(ctx, "devices")),
                    orEmpty(Forms.text(ctx, "hostname")), orEmpty(Forms.text(ctx, "os")), orEmpty(Forms.text(ctx, "policy")),
                    Forms.values(ctx, KEEP_DELETED));
        }

        DeviceGroupRow.Match match() {
            String h = hostname.isBlank() ? null : hostname.strip();
            String o = os.isBlank() ? null : os;
            return h == null && o == null ? null : new DeviceGroupRow.Match(h, o);
        }

        /**
         * The group as it is: live members by host name in the text field, deleted ones apart (a
         * deleted device's host name may belong to a new device by now, and a name typed in the
         * field always means a live device).
         */
        static Draft of(DeviceGroupView g, List<RefNames.Member> members) {
            return new Draft(g.name(), String.join(", ", members.stream().filter(m -> !m.deleted())
                            .map(RefNames.Member::hostname).toList()),
                    g.match() == null || g.match().hostname() == null ? "" : g.match().hostname(),
                    g.match() == null || g.match().os() == null ? "" : g.match().os(),
                    g.policy() == null ? "" : g.policy(),
                    members.stream().filter(RefNames.Member::deleted).map(RefNames.Member::id).toList());
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
        renderEdit(ctx, admin, group, Draft.of(group, members(group)), "");
    }

    private List<RefNames.Member> members(DeviceGroupView group) {
        return group.devices().stream().map(names::member).toList();
    }

    private void renderEdit(Context ctx, Caller admin, DeviceGroupView group, Draft draft, String preview) {
        String base = "/admin/device-groups/" + group.id();
        String body = "<h1>Device group " + Html.esc(group.name()) + "</h1><p><code>" + Html.esc(group.id())
                + "</code> · <a id=\"back-to-groups\" href=\"/admin/device-groups\">All device groups</a></p>" + preview
                + Forms.form(ctx, base + "/edit", "device-group-edit-form", "stack",
                        "<h2>Edit device group</h2>" + fields(draft, base + "/preview", deletedMembers(group, draft)));
        AdminPages.page(ctx, 200, admin, "Device group " + group.name(), "/admin/device-groups", body);
    }

    /**
     * The group's deleted members, each shown by host name and marked deleted, with a box ticked
     * while it stays: saving with the box cleared removes it (its group's rules then no longer reach
     * the secrets it keeps until it is purged). Empty when the group has none.
     */
    private String deletedMembers(DeviceGroupView group, Draft draft) {
        List<RefNames.Member> deleted = members(group).stream().filter(RefNames.Member::deleted).toList();
        if (deleted.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("<fieldset id=\"dg-deleted-members\"><legend>Deleted devices still in"
                + " this group</legend><p class=\"muted\">Their secrets stay revealable, to whom this group's rules"
                + " allow, until they are purged. Clear a box and save to remove that device from the group; a deleted"
                + " device cannot be added again.</p>");
        for (RefNames.Member m : deleted) {
            out.append(Forms.checkbox("dg-keep-" + m.id(), KEEP_DELETED, m.id(), m.hostname() + " (deleted)",
                    draft.keptDeleted().contains(m.id())));
        }
        return out.append("</fieldset>").toString();
    }

    private static String fields(Draft draft, String previewAction) {
        return fields(draft, previewAction, "");
    }

    private static String fields(Draft draft, String previewAction, String deletedMembers) {
        return Forms.input("dg-name", "name", "Name", "text", 100, draft.name(), false)
                + Forms.input("dg-devices", "devices", "Devices by host name (comma separated, optional)", "text", 2000,
                        draft.devices(), false)
                + deletedMembers
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
        List<String> explicit = explicit(ctx, draft);
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

    /**
     * The explicit members the form asks for: the live devices typed by host name, then the deleted
     * members whose box is ticked (the API's PUT keeps those only if they are members already).
     */
    private List<String> explicit(Context ctx, Draft draft) {
        java.util.LinkedHashSet<String> ids = new java.util.LinkedHashSet<>(names.deviceIds(Forms.list(ctx, "devices"),
                "devices"));
        ids.addAll(draft.keptDeleted());
        return List.copyOf(ids);
    }

    public void create(Context ctx, Caller admin) {
        Draft draft = Draft.of(ctx);
        List<String> explicit = explicit(ctx, draft);
        groups.create(admin, new DeviceGroupRoutes.Body(null, Forms.text(ctx, "name"), explicit, draft.match(),
                draft.policy().isBlank() ? null : draft.policy()));
        ctx.redirect("/admin/device-groups?done=created", HttpStatus.SEE_OTHER);
    }

    /**
     * Saves the edit form through the API's PUT method (the whole group is replaced, as PUT does):
     * a deleted member stays while its box is ticked and goes when it is cleared.
     */
    public void update(Context ctx, Caller admin) {
        String id = ctx.pathParam("id");
        Draft draft = Draft.of(ctx);
        List<String> explicit = explicit(ctx, draft);
        groups.update(admin, id, new DeviceGroupRoutes.Body(null, Forms.text(ctx, "name"), explicit, draft.match(),
                draft.policy().isBlank() ? null : draft.policy()));
        ctx.redirect("/admin/device-groups?done=updated", HttpStatus.SEE_OTHER);
    }

    public void delete(Context ctx, Caller admin) {
        groups.delete(admin, ctx.pathParam("id"));
        ctx.redirect("/admin/device-groups?done=deleted", HttpStatus.SEE_OTHER);
    }
}
