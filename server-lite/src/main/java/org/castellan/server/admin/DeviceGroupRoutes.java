package org.castellan.server.admin;

import io.javalin.http.Context;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import org.castellan.api.DeviceGroupView;
import org.castellan.server.access.DeviceMatch;
import org.castellan.server.audit.AuditActions;
import org.castellan.server.db.Database;
import org.castellan.server.devices.DeviceStore;
import org.castellan.server.groups.DeviceGroupRow;
import org.castellan.server.groups.SqlDeviceGroupStore;
import org.castellan.server.guard.Audited;
import org.castellan.server.guard.Caller;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.JsonBody;
import org.castellan.server.http.Names;
import org.castellan.server.http.TextRules;
import org.castellan.server.http.Paging;
import org.castellan.server.http.Responses;
import org.castellan.server.policy.PolicyStore;
import org.castellan.server.users.Tokens;

/** {@code /api/v1/device-groups} (admin only): explicit members, match criteria, attached policy. */
public final class DeviceGroupRoutes {
    private final Database db;
    private final SqlDeviceGroupStore groups;
    private final DeviceStore devices;
    private final PolicyStore policies;
    private final Clock clock;

    public DeviceGroupRoutes(Database db, SqlDeviceGroupStore groups, DeviceStore devices, PolicyStore policies,
                             Clock clock) {
        this.db = db;
        this.groups = groups;
        this.devices = devices;
        this.policies = policies;
        this.clock = clock;
    }

    /** POST and PUT body; {@code id} is read-only (PUT accepts GET's representation with the same id). */
    public record Body(String id, String name, List<String> devices, DeviceGroupRow.Match match, String policy) {}

    public void create(Context ctx, Caller admin) {
        Body body = JsonBody.read(ctx, Body.class);
        if (body.id() != null) {
            throw ApiException.badRequest("read-only-id", "field 'id' is chosen by the server; leave it out");
        }
        String id = Tokens.newId();
        DeviceGroupView view = admin.act(AuditActions.DEVICE_GROUP_CREATE, c -> {
            DeviceGroupRow row = validated(c, id, body);
            groups.insert(c, row, clock.instant());
            return Audited.of(row.view(), describe(row));
        });
        Responses.json(ctx, 201, view);
    }

    public void update(Context ctx, Caller admin) {
        String id = ctx.pathParam("id");
        Body body = JsonBody.read(ctx, Body.class);
        TextRules.readOnly("id", body.id(), id);
        DeviceGroupView view = admin.act(AuditActions.DEVICE_GROUP_UPDATE, c -> {
            find(c, id);
            DeviceGroupRow row = validated(c, id, body);
            groups.update(c, row);
            return Audited.of(row.view(), describe(row));
        });
        Responses.ok(ctx, view);
    }

    public void list(Context ctx, Caller admin) {
        Paging paging = Paging.of(ctx);
        List<DeviceGroupView> all = db.read(groups::list).stream().map(DeviceGroupRow::view).toList();
        Responses.ok(ctx, paging.page(ctx, all, DeviceGroupView::id));
    }

    public void get(Context ctx, Caller admin) {
        Responses.ok(ctx, db.read(c -> find(c, ctx.pathParam("id")).view()));
    }

    public void delete(Context ctx, Caller admin) {
        String id = ctx.pathParam("id");
        admin.act(AuditActions.DEVICE_GROUP_DELETE, c -> {
            DeviceGroupRow row = find(c, id);
            groups.delete(c, id);
            return Audited.of(null, "device-group:" + id + " '" + row.name() + "'");
        });
        ctx.status(204);
    }

    private DeviceGroupRow validated(Connection c, String id, Body body) throws SQLException {
        String name = Names.label(body.name(), "name");
        TextRules.refuseIdShaped(name, "name");
        if (groups.nameInUse(c, name, id)) {
            throw ApiException.conflict("device-group-exists", "a device group with that name already exists");
        }
        List<String> members = body.devices() == null ? List.of() : body.devices();
        for (String deviceId : members) {
            if (deviceId == null || devices.byId(c, deviceId).filter(d -> !d.deleted()).isEmpty()) {
                throw ApiException.badRequest("invalid-devices", "field 'devices' names a device that does not exist");
            }
        }
        String hostname = body.match() == null ? null : body.match().hostname();
        String os = body.match() == null ? null : body.match().os();
        if (body.match() != null) {
            try {
                DeviceMatch.of(hostname, os);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("invalid-match", e.getMessage());
            }
        }
        String policy = body.policy();
        if (policy != null && !policies.exists(c, policy)) {
            throw ApiException.badRequest("invalid-policy", "field 'policy' names a policy that does not exist (PUT it first)");
        }
        String matchOs = os == null ? null : os.toLowerCase(java.util.Locale.ROOT);
        if (policy != null) {
            // The policy's account must be an account name on every system this group reaches.
            String account = policies.byName(c, policy).map(org.castellan.server.policy.Policy::account).orElse("");
            try {
                org.castellan.server.policy.AccountNames.require(account,
                        org.castellan.server.policy.AccountNames.reachedBy(matchOs, !members.isEmpty()));
            } catch (ApiException e) {
                throw ApiException.badRequest("invalid-policy", "policy '" + policy + "': " + e.getMessage());
            }
        }
        return new DeviceGroupRow(id, name, members, hostname, matchOs, policy);
    }

    private DeviceGroupRow find(Connection c, String id) throws SQLException {
        return groups.byId(c, id).orElseThrow(() -> ApiException.notFound("device-group-not-found", "no device group with that id"));
    }

    private static String describe(DeviceGroupRow row) {
        return "device-group:" + row.id() + " '" + row.name() + "' devices " + row.devices() + " match hostname="
                + row.matchHostname() + " os=" + row.matchOs() + " policy=" + row.policy();
    }
}
