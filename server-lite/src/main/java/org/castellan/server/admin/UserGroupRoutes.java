package org.castellan.server.admin;

import io.javalin.http.Context;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import org.castellan.server.audit.AuditActions;
import org.castellan.server.db.Database;
import org.castellan.server.groups.SqlUserGroupStore;
import org.castellan.server.groups.UserGroup;
import org.castellan.server.guard.Audited;
import org.castellan.server.guard.Caller;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.JsonBody;
import org.castellan.server.http.Names;
import org.castellan.server.http.TextRules;
import org.castellan.server.http.Paging;
import org.castellan.server.http.Responses;
import org.castellan.server.users.Tokens;
import org.castellan.server.users.UserStore;

/** {@code /api/v1/user-groups} (admin only). */
public final class UserGroupRoutes {
    private final Database db;
    private final SqlUserGroupStore groups;
    private final UserStore users;
    private final Clock clock;

    public UserGroupRoutes(Database db, SqlUserGroupStore groups, UserStore users,
                           Clock clock) {
        this.db = db;
        this.groups = groups;
        this.users = users;
        this.clock = clock;
    }

    public record CreateGroup(String name, List<String> members) {}

    /** The PUT .../members body: GET's representation is accepted too, its {@code id} and {@code name} read-only. */
    public record Members(String id, String name, List<String> members) {}

    public void create(Context ctx, Caller admin) {
        Responses.json(ctx, 201, create(admin, JsonBody.read(ctx, CreateGroup.class)));
    }

    /** Validates and stores a user group with its members, audited (API and console alike). */
    public UserGroup create(Caller admin, CreateGroup request) {
        String name = Names.label(request.name(), "name");
        TextRules.refuseIdShaped(name, "name");
        List<String> members = request.members() == null ? List.of() : request.members();
        String id = Tokens.newId();
        UserGroup group = admin.act(AuditActions.USER_GROUP_CREATE, c -> {
            if (groups.nameInUse(c, name)) {
                throw ApiException.conflict("user-group-exists", "a user group with that name already exists");
            }
            requireUsers(c, members);
            groups.insert(c, id, name, clock.instant());
            groups.setMembers(c, id, members);
            return Audited.of(groups.byId(c, id).orElseThrow(), "user-group:" + id + " '" + name + "' members " + members);
        });
        return group;
    }

    public void list(Context ctx, Caller admin) {
        Paging paging = Paging.of(ctx);
        // Keyset paging in the database: one row more than asked says another page exists.
        List<UserGroup> rows = db.read(c -> groups.page(c, paging.after(), paging.limit() + 1));
        Responses.ok(ctx, paging.shown(ctx, rows, UserGroup::id));
    }

    /** Every user group with its members: for the console's pages and forms. */
    public List<UserGroup> all() {
        return db.read(groups::list);
    }

    public void get(Context ctx, Caller admin) {
        Responses.ok(ctx, db.read(c -> find(c, ctx.pathParam("id"))));
    }

    public void delete(Context ctx, Caller admin) {
        delete(admin, ctx.pathParam("id"));
        ctx.status(204);
    }

    /** Deletes a user group, audited (404 {@code user-group-not-found}). */
    public void delete(Caller admin, String id) {
        admin.act(AuditActions.USER_GROUP_DELETE, c -> {
            UserGroup group = find(c, id);
            groups.delete(c, id);
            return Audited.of(null, "user-group:" + id + " '" + group.name() + "'");
        });
    }

    public void setMembers(Context ctx, Caller admin) {
        Responses.ok(ctx, setMembers(admin, ctx.pathParam("id"), JsonBody.read(ctx, Members.class)));
    }

    /** Replaces a group's members, audited; every member must be an existing user. */
    public UserGroup setMembers(Caller admin, String id, Members request) {
        List<String> members = request.members() == null ? List.of() : request.members();
        TextRules.readOnly("id", request.id(), id);
        UserGroup group = admin.act(AuditActions.USER_GROUP_UPDATE, c -> {
            UserGroup current = find(c, id);
            TextRules.readOnly("name", request.name(), current.name());
            requireUsers(c, members);
            groups.setMembers(c, id, members);
            return Audited.of(groups.byId(c, id).orElseThrow(), "user-group:" + id + " members " + members);
        });
        return group;
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
