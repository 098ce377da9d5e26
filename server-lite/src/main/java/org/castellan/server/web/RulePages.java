package org.castellan.server.web;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.castellan.api.RuleView;
import org.castellan.server.access.Permission;
import org.castellan.server.admin.ChannelRoutes;
import org.castellan.server.admin.DeviceGroupRoutes;
import org.castellan.server.admin.RuleRoutes;
import org.castellan.server.admin.UserGroupRoutes;
import org.castellan.server.admin.UserRoutes;
import org.castellan.server.guard.Caller;

/**
 * {@code /admin/rules}: the rules with the names of what they name beside the ids, a form to
 * create one, and delete. Creating and deleting call {@link RuleRoutes#create(Caller, RuleRoutes.Body)}
 * and {@link RuleRoutes#delete(Caller, String)}, the API's own code: validation, audit and all.
 */
public final class RulePages {
    static final int MAX_OPTIONS = 1000;
    private static final Map<String, String> DONE = Map.of("created", "Rule created; it applies from now on.",
            "deleted", "Rule deleted.");
    private final RuleRoutes rules;
    private final UserRoutes users;
    private final UserGroupRoutes userGroups;
    private final DeviceGroupRoutes deviceGroups;
    private final ChannelRoutes channels;
    private final RefNames names;

    RulePages(RuleRoutes rules, UserRoutes users, UserGroupRoutes userGroups, DeviceGroupRoutes deviceGroups,
              ChannelRoutes channels, RefNames names) {
        this.rules = rules;
        this.users = users;
        this.userGroups = userGroups;
        this.deviceGroups = deviceGroups;
        this.channels = channels;
        this.names = names;
    }

    public void list(Context ctx, Caller admin) {
        StringBuilder body = new StringBuilder("<h1>Rules</h1>").append(AdminPages.notice(ctx, DONE));
        List<RuleView> all = rules.all();
        if (all.isEmpty()) {
            body.append("<p id=\"no-rules\">No rules yet: nobody but admins may read anything.</p>");
        } else {
            body.append("<table id=\"rules\"><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Who</th>")
                    .append("<th scope=\"col\">Over</th><th scope=\"col\">May</th><th scope=\"col\">Conditions</th>")
                    .append("<th scope=\"col\"></th></tr></thead><tbody>");
            for (RuleView r : all) {
                body.append("<tr data-rule=\"").append(Html.esc(r.id())).append("\"><td>").append(Html.esc(r.name()))
                        .append("<br><code>").append(Html.esc(r.id())).append("</code></td><td>");
                r.principals().forEach(p -> body.append(names.ref(p)).append("<br>"));
                body.append("</td><td>");
                r.targets().forEach(t -> body.append(names.ref(t)).append("<br>"));
                body.append("</td><td>").append(Html.esc(String.join(", ", r.permissions()))).append("</td><td>")
                        .append(conditions(r)).append("</td><td>")
                        .append(Forms.button(ctx, "/admin/rules/" + r.id() + "/delete", "delete-rule-" + r.id(), "Delete"))
                        .append("</td></tr>");
            }
            body.append("</tbody></table>");
        }
        body.append(createForm(ctx));
        AdminPages.page(ctx, 200, admin, "Rules", "/admin/rules", body.toString());
    }

    private String conditions(RuleView r) {
        List<String> out = new ArrayList<>();
        if (r.requireReason()) {
            out.add("reason required");
        }
        if (r.requireApproval()) {
            out.add("second-person approval");
        }
        if (r.rotateAfterReadMinutes() != null) {
            out.add("rotate " + r.rotateAfterReadMinutes() + " min after a read");
        }
        if (r.requireSecondFactorMinutes() != null) {
            out.add("second factor within " + r.requireSecondFactorMinutes() + " min");
        }
        if (r.expiresAt() != null) {
            out.add("expires " + r.expiresAt());
        }
        for (String channel : r.channels()) {
            out.add("notifies " + names.channelName(channel));
        }
        return Html.esc(out.isEmpty() ? "—" : String.join("; ", out));
    }

    private String createForm(Context ctx) {
        List<Forms.Option> principals = new ArrayList<>();
        users.page(null, MAX_OPTIONS).forEach(u -> principals.add(new Forms.Option("user:" + u.id(), "user " + u.name())));
        userGroups.all().forEach(g -> principals.add(new Forms.Option("user-group:" + g.id(), "user group " + g.name())));
        List<Forms.Option> groups = deviceGroups.definitions().stream()
                .map(g -> new Forms.Option("device-group:" + g.id(), g.name())).toList();
        List<Forms.Option> hooks = channels.all().stream().map(c -> new Forms.Option(c.id(), c.name())).toList();
        StringBuilder fields = new StringBuilder("<h2>New rule</h2>")
                .append(Forms.input("rule-name", "name", "Name", "text", 100, "", true))
                .append(Forms.select("rule-principals", "principals", "Who (users and user groups)", true, principals,
                        List.of()))
                .append("<fieldset><legend>Over which devices</legend>")
                .append(Forms.checkbox("rule-all", "targets", "all", "every device", false))
                .append(Forms.select("rule-device-groups", "targets", "Device groups", true, groups, List.of()))
                .append(Forms.input("rule-devices", "devices", "Devices by host name (comma separated)", "text", 2000,
                        "", false))
                .append("</fieldset><fieldset><legend>May</legend>");
        for (Permission p : Permission.values()) {
            fields.append(Forms.checkbox("perm-" + p.wireName().replace('.', '-'), "permissions", p.wireName(),
                    p.wireName(), false));
        }
        fields.append("</fieldset>")
                .append(Forms.checkbox("rule-require-reason", "requireReason", "true", "a reason is required", false))
                .append(Forms.checkbox("rule-require-approval", "requireApproval", "true",
                        "device.jit requests need a second person's approval", false))
                .append(Forms.input("rule-rotate-after", "rotateAfterReadMinutes",
                        "Rotate the password this many minutes after a read (optional)", "number", 6, "", false))
                .append(Forms.input("rule-second-factor", "requireSecondFactorMinutes",
                        "Require a second factor within this many minutes before a read (optional; API tokens are"
                                + " then refused)", "number", 4, "", false))
                .append(Forms.select("rule-channels", "channels", "Notify (optional)", true, hooks, List.of()))
                .append(Forms.input("rule-expires", "expiresAt", "Expires (UTC, optional)", "datetime-local", 30, "", false))
                .append("<button type=\"submit\">Create rule</button>");
        return Forms.form(ctx, "/admin/rules", "rule-form", "stack wide", fields.toString());
    }

    public void create(Context ctx, Caller admin) {
        List<String> targets = new ArrayList<>(Forms.values(ctx, "targets"));
        names.deviceIds(Forms.list(ctx, "devices"), "targets").forEach(id -> targets.add("device:" + id));
        rules.create(admin, new RuleRoutes.Body(Forms.text(ctx, "name"), Forms.values(ctx, "principals"), targets,
                Forms.values(ctx, "permissions"), Forms.checked(ctx, "requireReason"),
                Forms.integer(ctx, "rotateAfterReadMinutes"), Forms.values(ctx, "channels"),
                Forms.instant(ctx, "expiresAt"), Forms.checked(ctx, "requireApproval"),
                Forms.integer(ctx, "requireSecondFactorMinutes")));
        ctx.redirect("/admin/rules?done=created", HttpStatus.SEE_OTHER);
    }

    public void delete(Context ctx, Caller admin) {
        rules.delete(admin, ctx.pathParam("id"));
        ctx.redirect("/admin/rules?done=deleted", HttpStatus.SEE_OTHER);
    }
}
