package org.castellan.server.web;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.castellan.api.CreatedToken;
import org.castellan.api.TokenView;
import org.castellan.protocol.Secret;
import org.castellan.server.admin.SecondFactorRoutes;
import org.castellan.server.admin.UserGroupRoutes;
import org.castellan.server.admin.UserRoutes;
import org.castellan.server.db.Database;
import org.castellan.server.groups.UserGroup;
import org.castellan.server.guard.Caller;
import org.castellan.server.http.ApiException;
import org.castellan.server.users.SqlTotpStore;
import org.castellan.server.users.UserStore;

/**
 * {@code /admin/users} (with each user's sign-in factors: password, TOTP confirmed or not) and
 * {@code /admin/user-groups} (members). Every change calls the API's method on {@link UserRoutes}
 * or {@link UserGroupRoutes}: the same checks (names, duplicates, an admin cannot disable
 * themselves) and the same audit rows.
 */
public final class UserPages {
    static final int PAGE = 100;
    private static final Map<String, String> USER_DONE = Map.of("created", "User created.", "disabled",
            "User disabled.", "enabled", "User enabled.", "totp-reset",
            "Second factor reset: the user's console sessions ended, and their next sign-in enrols a new one.");
    private static final Map<String, String> GROUP_DONE = Map.of("created", "User group created.", "members",
            "Members saved.", "deleted", "User group deleted.");
    private final UserRoutes users;
    private final UserGroupRoutes groups;
    private final SecondFactorRoutes secondFactors;
    private final Database db;
    private final UserStore userStore;
    private final SqlTotpStore totps;

    UserPages(UserRoutes users, UserGroupRoutes groups, SecondFactorRoutes secondFactors, Database db,
              UserStore userStore, SqlTotpStore totps) {
        this.users = users;
        this.secondFactors = secondFactors;
        this.groups = groups;
        this.db = db;
        this.userStore = userStore;
        this.totps = totps;
    }

    public void users(Context ctx, Caller admin) {
        String after = ctx.queryParam("after");
        if (after != null && (after.isEmpty() || after.length() > 64)) {
            after = null;
        }
        String from = after;
        List<UserStore.User> page = db.read(c -> userStore.page(c, from, PAGE + 1));
        StringBuilder body = new StringBuilder("<h1>Users</h1>").append(AdminPages.notice(ctx, USER_DONE))
                .append("<table id=\"users\"><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Role</th>")
                .append("<th scope=\"col\">Sign-in</th><th scope=\"col\">Second factor</th><th scope=\"col\">Status</th>")
                .append("<th scope=\"col\"></th></tr></thead><tbody>");
        for (UserStore.User u : page.subList(0, Math.min(PAGE, page.size()))) {
            boolean self = u.id().equals(admin.principal().userId());
            body.append("<tr data-user=\"").append(Html.esc(u.name())).append("\"><td>").append(Html.esc(u.name()))
                    .append("<br><code>").append(Html.esc(u.id())).append("</code><br><a class=\"user-access\" href=\"/access?principal=user:")
                    .append(Html.esc(u.id())).append("\">Effective access</a> · <a class=\"user-audit\" href=\"/audit?principal=user:")
                    .append(Html.esc(u.id())).append("\">Audit</a> · <a class=\"user-tokens\" href=\"/admin/users/")
                    .append(Html.esc(u.id())).append("/tokens\">API tokens</a></td><td>")
                    .append(u.admin() ? "admin" : "user").append("</td><td>")
                    .append(u.passwordHash() == null ? "no password (API tokens or single sign-on)" : "password").append("</td><td class=\"mfa\">")
                    .append(Html.esc(secondFactor(u))).append("</td><td>")
                    .append(u.disabledAt() == null ? "active" : "disabled since " + Forms.time(u.disabledAt()))
                    .append("</td><td>");
            if (u.disabledAt() != null) {
                body.append(Forms.button(ctx, "/admin/users/" + u.id() + "/enable", "enable-" + u.name(), "Enable"));
            } else if (!self) {
                body.append(Forms.button(ctx, "/admin/users/" + u.id() + "/disable", "disable-" + u.name(), "Disable"));
            }
            if (u.passwordHash() != null && !self) {
                // Lost phone: forget the seed and end the sessions (the API's POST /users/{id}/reset-totp).
                body.append(Forms.button(ctx, "/admin/users/" + u.id() + "/reset-totp", "reset-totp-" + u.name(),
                        "Reset second factor"));
            }
            body.append("</td></tr>");
        }
        body.append("</tbody></table>");
        if (page.size() > PAGE) {
            body.append("<p><a id=\"next-page\" href=\"/admin/users?after=").append(Html.esc(page.get(PAGE - 1).id()))
                    .append("\">Next page</a></p>");
        }
        body.append(Forms.form(ctx, "/admin/users", "user-form", "stack", "<h2>New user</h2>"
                + Forms.input("user-name", "name", "User name", "text", 64, "", true)
                + Forms.input("user-password", "password", "Initial password (12 or more characters; leave empty for"
                        + " an API-token-only user)", "password", 1024, "", false)
                + Forms.checkbox("user-admin", "admin", "true", "administrator", false)
                + "<p class=\"hint\">The user sets up their second factor (TOTP) at their first sign-in.</p>"
                + "<button type=\"submit\">Create user</button>"));
        AdminPages.page(ctx, 200, admin, "Users", "/admin/users", body.toString());
    }

    private String secondFactor(UserStore.User u) {
        if (u.passwordHash() == null) {
            return "— (single sign-on users prove it to their identity provider)";
        }
        Optional<SqlTotpStore.TotpRow> row = db.read(c -> totps.of(c, u.id()));
        if (row.isEmpty()) {
            return "none yet (enrols at first sign-in)";
        }
        return row.get().confirmed() ? "TOTP since " + row.get().confirmedAt() : "TOTP enrolment not finished";
    }

    public void createUser(Context ctx, Caller admin) {
        users.create(admin, new UserRoutes.CreateUser(Forms.text(ctx, "name"), Forms.text(ctx, "password"),
                Forms.checked(ctx, "admin")));
        ctx.redirect("/admin/users?done=created", HttpStatus.SEE_OTHER);
    }

    public void disable(Context ctx, Caller admin) {
        users.setDisabled(admin, ctx.pathParam("id"), true);
        ctx.redirect("/admin/users?done=disabled", HttpStatus.SEE_OTHER);
    }

    private static final Map<String, String> TOKEN_DONE = Map.of("revoked", "Token revoked.");

    /** {@code /admin/users/{id}/tokens}: the user's API tokens (never their secrets), revoke, and a new one. */
    public void tokens(Context ctx, Caller admin) {
        String userId = ctx.pathParam("id");
        renderTokens(ctx, admin, userId, 200, AdminPages.notice(ctx, TOKEN_DONE));
    }

    private void renderTokens(Context ctx, Caller admin, String userId, int status, String top) {
        List<TokenView> tokens = users.tokens(userId);
        String name = db.read(c -> userStore.byId(c, userId)).map(UserStore.User::name).orElse(userId);
        StringBuilder body = new StringBuilder("<h1>API tokens of ").append(Html.esc(name)).append("</h1>").append(top)
                .append("<p><a id=\"back-to-users\" href=\"/admin/users\">All users</a></p>");
        if (tokens.isEmpty()) {
            body.append("<p id=\"no-tokens\">No API tokens.</p>");
        } else {
            body.append("<table id=\"tokens\"><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Created</th>")
                    .append("<th scope=\"col\">Expires</th><th scope=\"col\">Last used</th><th scope=\"col\">Status</th>")
                    .append("<th scope=\"col\"></th></tr></thead><tbody>");
            for (TokenView t : tokens) {
                body.append("<tr data-token=\"").append(Html.esc(t.id())).append("\"><td>").append(Html.esc(t.name()))
                        .append("<br><code>").append(Html.esc(t.id())).append("</code></td><td>").append(Forms.time(t.createdAt()))
                        .append("</td><td>").append(Forms.time(t.expiresAt())).append("</td><td>")
                        .append(Forms.time(t.lastUsedAt())).append("</td><td class=\"status\">")
                        .append(t.revokedAt() == null ? "active" : "revoked " + Forms.time(t.revokedAt())).append("</td><td>")
                        .append(t.revokedAt() == null ? Forms.button(ctx, "/admin/users/" + userId + "/tokens/" + t.id()
                                + "/revoke", "revoke-token-" + t.id(), "Revoke") : "")
                        .append("</td></tr>");
            }
            body.append("</tbody></table>");
        }
        body.append(Forms.form(ctx, "/admin/users/" + userId + "/tokens", "token-form", "stack", "<h2>New API token</h2>"
                + Forms.input("token-name", "name", "Name (where it is used, e.g. the script)", "text", 100, "", true)
                + Forms.input("token-expires", "expiresAt", "Expires (UTC, optional)", "datetime-local", 0, "", false)
                + "<button type=\"submit\">Create token</button>"));
        AdminPages.page(ctx, status, admin, "API tokens of " + name, "/admin/users", body.toString());
    }

    /** Creates a token through the API's method and shows it this once (the server keeps only its hash). */
    public void createToken(Context ctx, Caller admin) {
        String userId = ctx.pathParam("id");
        CreatedToken created = users.createToken(admin, userId, new UserRoutes.CreateToken(Forms.text(ctx, "name"),
                Forms.instant(ctx, "expiresAt")));
        try (Secret token = created.token()) {
            renderTokens(ctx, admin, userId, 201, "<div class=\"shown-once\" id=\"new-token\" data-replace-url=\"/admin/users/"
                    + Html.esc(userId) + "/tokens\"><p>Token <strong>" + Html.esc(created.name()) + "</strong> (<code>"
                    + Html.esc(created.id()) + "</code>). Copy it now: <strong>it is shown this once</strong>; the"
                    + " server keeps only its hash.</p><output class=\"secret-value\" id=\"api-token\">"
                    + Html.esc(token.reveal()) + "</output><button type=\"button\" class=\"copy\""
                    + " data-copy-text=\"api-token\">Copy</button></div>");
        }
    }

    /** Revokes one of this user's tokens (another user's token id answers as an unknown one). */
    public void revokeToken(Context ctx, Caller admin) {
        String userId = ctx.pathParam("id");
        String tokenId = ctx.pathParam("tokenId");
        if (users.tokens(userId).stream().noneMatch(t -> t.id().equals(tokenId))) {
            throw ApiException.notFound("token-not-found", "no token with that id");
        }
        users.revokeToken(admin, tokenId);
        ctx.redirect("/admin/users/" + userId + "/tokens?done=revoked", HttpStatus.SEE_OTHER);
    }

    public void resetTotp(Context ctx, Caller admin) {
        secondFactors.resetTotp(admin, ctx.pathParam("id"));
        ctx.redirect("/admin/users?done=totp-reset", HttpStatus.SEE_OTHER);
    }

    public void enable(Context ctx, Caller admin) {
        users.setDisabled(admin, ctx.pathParam("id"), false);
        ctx.redirect("/admin/users?done=enabled", HttpStatus.SEE_OTHER);
    }

    public void groups(Context ctx, Caller admin) {
        List<Forms.Option> everyone = users.page(null, RulePages.MAX_OPTIONS).stream()
                .map(u -> new Forms.Option(u.id(), u.name())).toList();
        StringBuilder body = new StringBuilder("<h1>User groups</h1>").append(AdminPages.notice(ctx, GROUP_DONE));
        List<UserGroup> all = groups.all();
        if (all.isEmpty()) {
            body.append("<p id=\"no-groups\">No user groups yet.</p>");
        }
        for (UserGroup g : all) {
            body.append("<section class=\"group\" data-group=\"").append(Html.esc(g.name())).append("\"><h2>")
                    .append(Html.esc(g.name())).append(" <code>").append(Html.esc(g.id())).append("</code></h2>")
                    .append("<p class=\"members\">Members: ").append(Html.esc(g.members().isEmpty() ? "none"
                            : String.join(", ", g.members().stream().map(id -> name(everyone, id)).toList())))
                    .append("</p>")
                    .append(Forms.form(ctx, "/admin/user-groups/" + g.id() + "/members", "members-" + g.id(), "stack",
                            Forms.select("members-select-" + g.id(), "members", "Members", true, everyone, g.members())
                                    + "<button type=\"submit\">Save members</button>"))
                    .append(Forms.button(ctx, "/admin/user-groups/" + g.id() + "/delete", "delete-group-" + g.id(),
                            "Delete group"))
                    .append("</section>");
        }
        body.append(Forms.form(ctx, "/admin/user-groups", "user-group-form", "stack", "<h2>New user group</h2>"
                + Forms.input("group-name", "name", "Name", "text", 100, "", true)
                + Forms.select("group-members", "members", "Members", true, everyone, List.of())
                + "<button type=\"submit\">Create group</button>"));
        AdminPages.page(ctx, 200, admin, "User groups", "/admin/user-groups", body.toString());
    }

    private static String name(List<Forms.Option> users, String id) {
        return users.stream().filter(o -> o.value().equals(id)).map(Forms.Option::label).findFirst().orElse(id);
    }

    public void createGroup(Context ctx, Caller admin) {
        groups.create(admin, new UserGroupRoutes.CreateGroup(Forms.text(ctx, "name"), Forms.values(ctx, "members")));
        ctx.redirect("/admin/user-groups?done=created", HttpStatus.SEE_OTHER);
    }

    public void setMembers(Context ctx, Caller admin) {
        groups.setMembers(admin, ctx.pathParam("id"), new UserGroupRoutes.Members(null, null,
                Forms.values(ctx, "members")));
        ctx.redirect("/admin/user-groups?done=members", HttpStatus.SEE_OTHER);
    }

    public void deleteGroup(Context ctx, Caller admin) {
        groups.delete(admin, ctx.pathParam("id"));
        ctx.redirect("/admin/user-groups?done=deleted", HttpStatus.SEE_OTHER);
    }
}
