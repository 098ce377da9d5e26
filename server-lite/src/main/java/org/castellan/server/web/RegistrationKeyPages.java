package org.castellan.server.web;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.castellan.api.CreatedRegistrationKey;
import org.castellan.api.RegistrationKeyView;
import org.castellan.server.admin.DeviceGroupRoutes;
import org.castellan.server.admin.RegistrationKeyRoutes;
import org.castellan.server.guard.Caller;

/**
 * {@code /admin/registration-keys}: the keys (never the key itself: only its hash is stored), a
 * form to create one, and revoke. A new key is shown once, in the answer to the creating POST,
 * which the server keeps nowhere; the page tells the browser to replace its history entry with
 * the list, so reloading shows the list rather than posting again.
 */
public final class RegistrationKeyPages {
    private static final Map<String, String> DONE = Map.of("revoked", "Registration key revoked: it registers no"
            + " more devices.");
    private final RegistrationKeyRoutes keys;
    private final DeviceGroupRoutes deviceGroups;
    private final Clock clock;

    RegistrationKeyPages(RegistrationKeyRoutes keys, DeviceGroupRoutes deviceGroups, Clock clock) {
        this.keys = keys;
        this.deviceGroups = deviceGroups;
        this.clock = clock;
    }

    public void list(Context ctx, Caller admin) {
        AdminPages.page(ctx, 200, admin, "Registration keys", "/admin/registration-keys",
                "<h1>Registration keys</h1>" + AdminPages.notice(ctx, DONE) + table(ctx) + createForm(ctx));
    }

    private String table(Context ctx) {
        List<RegistrationKeyView> all = keys.all();
        if (all.isEmpty()) {
            return "<p id=\"no-keys\">No registration keys yet.</p>";
        }
        Instant now = clock.instant();
        StringBuilder out = new StringBuilder("<table id=\"registration-keys\"><thead><tr><th scope=\"col\">Name</th>")
                .append("<th scope=\"col\">Uses</th><th scope=\"col\">Expires</th><th scope=\"col\">Device groups</th>")
                .append("<th scope=\"col\">Status</th><th scope=\"col\"></th></tr></thead><tbody>");
        for (RegistrationKeyView k : all) {
            String status = k.revokedAt() != null ? "revoked " + k.revokedAt()
                    : k.expiresAt() != null && !now.isBefore(k.expiresAt()) ? "expired"
                    : k.maxUses() != null && k.uses() >= k.maxUses() ? "used up" : "usable";
            out.append("<tr data-key=\"").append(Html.esc(k.name())).append("\"><td>").append(Html.esc(k.name()))
                    .append("<br><code>").append(Html.esc(k.id())).append("</code></td><td>").append(k.uses())
                    .append(k.maxUses() == null ? " (no limit)" : " of " + k.maxUses()).append("</td><td>")
                    .append(Forms.time(k.expiresAt())).append("</td><td>")
                    .append(Html.esc(groupNames(k.groups()))).append(k.requireApproval() ? "<br>devices wait for approval" : "")
                    .append("</td><td class=\"status\">").append(Html.esc(status)).append("</td><td>")
                    .append(k.revokedAt() == null ? Forms.button(ctx, "/admin/registration-keys/" + k.id() + "/revoke",
                            "revoke-" + k.id(), "Revoke") : "")
                    .append("</td></tr>");
        }
        return out.append("</tbody></table>").toString();
    }

    private String groupNames(List<String> ids) {
        if (ids == null || ids.isEmpty()) {
            return "—";
        }
        return String.join(", ", deviceGroups.definitions().stream().filter(g -> ids.contains(g.id())).map(g -> g.name()).toList());
    }

    private String createForm(Context ctx) {
        List<Forms.Option> groups = deviceGroups.definitions().stream().map(g -> new Forms.Option(g.id(), g.name())).toList();
        return Forms.form(ctx, "/admin/registration-keys", "registration-key-form", "stack", "<h2>New registration key</h2>"
                + Forms.input("key-name", "name", "Name", "text", 100, "", true)
                + Forms.input("key-max-uses", "maxUses", "Maximum number of devices (optional)", "number", 9, "", false)
                + Forms.input("key-expires", "expiresAt", "Expires (UTC, optional)", "datetime-local", 30, "", false)
                + Forms.select("key-groups", "groups", "Devices join these device groups (optional)", true, groups,
                        List.of())
                + Forms.checkbox("key-require-approval", "requireApproval", "true",
                        "devices wait for an admin's approval", false)
                + "<button type=\"submit\">Create key</button>");
    }

    public void create(Context ctx, Caller admin) {
        try (RegistrationKeyRoutes.Created created = keys.create(admin, new RegistrationKeyRoutes.CreateRequest(
                Forms.text(ctx, "name"), Forms.integer(ctx, "maxUses"), Forms.instant(ctx, "expiresAt"), null,
                Forms.checked(ctx, "requireApproval"), Forms.values(ctx, "groups")))) {
            CreatedRegistrationKey k = created.answer();
            AdminPages.page(ctx, 201, admin, "Registration key created", "/admin/registration-keys",
                    "<h1>Registration key created</h1>"
                            + "<div class=\"shown-once\" id=\"new-key\" data-replace-url=\"/admin/registration-keys\">"
                            + "<p>Key <strong>" + Html.esc(k.name()) + "</strong> (<code>" + Html.esc(k.id()) + "</code>)."
                            + " Copy it now: <strong>it is shown this once</strong>; the server keeps only its hash.</p>"
                            + "<output class=\"secret-value\" id=\"registration-key\">" + Html.esc(k.key().reveal())
                            + "</output><button type=\"button\" class=\"copy\" data-copy-text=\"registration-key\">Copy</button>"
                            + "</div><p><a href=\"/admin/registration-keys\" id=\"back-to-keys\">Done: back to the keys</a></p>");
        }
    }

    public void revoke(Context ctx, Caller admin) {
        keys.revoke(admin, ctx.pathParam("id"));
        ctx.redirect("/admin/registration-keys?done=revoked", HttpStatus.SEE_OTHER);
    }
}
