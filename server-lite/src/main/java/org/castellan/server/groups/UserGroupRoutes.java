package org.castellan.server.groups;

import io.javalin.http.Context;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import org.castellan.server.audit.AuditActions;
import org.castellan.server.audit.AuditEvent;
import org.castellan.server.audit.AuditLog;
import org.castellan.server.db.Database;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.Authorizer;
import org.castellan.server.http.JsonBody;
import org.castellan.server.http.Paging;
import org.castellan.server.http.Responses;
import org.castellan.server.http.RouteTable;
import org.castellan.server.http.TextRules;
import org.castellan.server.users.Principal;
import org.castellan.server.users.Tokens;
import org.castellan.server.users.UserStore;

/** {@code /api/v1/user-groups} (admin only). */
public final class UserGroupRoutes {
    private final Database db;
    private final SqlUserGroupStore groups;
    private final UserStore users;
    private final AuditLog audit;
    private final Authorizer auth;
    private final Clock clock;

    public UserGroupRoutes(Database db, SqlUserGroupStore groups, UserStore users, AuditLog audit, Authorizer auth,
                           Clock clock) {
        this.db = db;
        this.groups = groups;
        this.users = users;
        this.audit = audit;
        this.auth = auth;
        this.clock = clock;
    }

    public record CreateGroup(String name, List<String> members) {}

    public record Members(List<String> members) {}

    public void register(RouteTable routes) {
        routes.post("/api/v1/user-groups", this::create);
        routes.get("/api/v1/user-groups", this::list);
        routes.get("/api/v1/user-groups/{id}", this::get);
        routes.delete("/api/v1/user-groups/{id}", this::delete);
        routes.put("/api/v1/user-groups/{id}/members", this::setMembers);
    }

    private void create(Context ctx) {
        Principal admin = auth.requireAdmin(ctx);
        CreateGroup request = JsonBody.read(ctx, CreateGroup.class);
        String name = TextRules.name(request.name(), "name", 100);
        List<String> members = request.members() == null ? List.of() : request.members();
        String id = Tokens.newId();
        UserGroup group = db.write(c -> {
            if (groups.nameInUse(c, name)) {
                throw ApiException.conflict("user-group-exists", "a user group with that name already exists");
            }
            requireUsers(c, members);
            groups.insert(c, id, name, clock.instant());
            groups.setMembers(c, id, members);
            audit.append(c, AuditEvent.of(admin.id(), AuditActions.USER_GROUP_CREATE, "ok", null, auth.clientAddress(ctx))
                    .withDetail("user-group:" + id + " '" + name + "' members " + members));
            return groups.byId(c, id).orElseThrow();
        });
        Responses.json(ctx, 201, group);
    }

    private void list(Context ctx) {
        auth.requireAdmin(ctx);
        Paging paging = Paging.of(ctx);
        Responses.ok(ctx, paging.page(ctx, db.read(groups::list), UserGroup::id));
    }

    private void get(Context ctx) {
        auth.requireAdmin(ctx);
        Responses.ok(ctx, db.read(c -> find(c, ctx.pathParam("id"))));
    }

    private void delete(Context ctx) {
        Principal admin = auth.requireAdmin(ctx);
        String id = ctx.pathParam("id");
        db.write(c -> {
            UserGroup group = find(c, id);
            groups.delete(c, id);
            audit.append(c, AuditEvent.of(admin.id(), AuditActions.USER_GROUP_DELETE, "ok", null, auth.clientAddress(ctx))
                    .withDetail("user-group:" + id + " '" + group.name() + "'"));
            return null;
        });
        ctx.status(204);
    }

    private void setMembers(Context ctx) {
        Principal admin = auth.requireAdmin(ctx);
        String id = ctx.pathParam("id");
        Members request = JsonBody.read(ctx, Members.class);
        List<String> members = request.members() == null ? List.of() : request.members();
        UserGroup group = db.write(c -> {
            find(c, id);
            requireUsers(c, members);
            groups.setMembers(c, id, members);
            audit.append(c, AuditEvent.of(admin.id(), AuditActions.USER_GROUP_UPDATE, "ok", null, auth.clientAddress(ctx))
                    .withDetail("user-group:" + id + " members " + members));
            return groups.byId(c, id).orElseThrow();
        });
        Responses.ok(ctx, group);
    }

    private UserGroup find(Connection c, String id) throws SQLException {
        return groups.byId(c, id).orElseThrow(() -> ApiException.notFound("user-group-not-found", "no user group with that id"));
    }

    private void requireUsers(Connection c, List<String> ids) throws SQLException {
        for (String id : ids) {
            if (id == null || users.byId(c, id).isEmpty()) {
                throw ApiException.badRequest("invalid-members", "field 'members' names a user that does not exist");
            }
        }
    }
}
