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
import org.castellan.server.devices.Device;
import org.castellan.server.devices.DeviceQuery;
import org.castellan.server.devices.DeviceScope;
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
        Responses.json(ctx, 201, create(admin, JsonBody.read(ctx, Body.class)));
    }

    /** Validates and stores a device group, audited (API and console alike). */
    public DeviceGroupView create(Caller admin, Body body) {
        if (body.id() != null) {
            throw ApiException.badRequest("read-only-id", "field 'id' is chosen by the server; leave it out");
        }
        String id = Tokens.newId();
        DeviceGroupView view = admin.act(AuditActions.DEVICE_GROUP_CREATE, c -> {
            DeviceGroupRow row = validated(c, id, body, List.of());
            groups.insert(c, row, clock.instant());
            return Audited.of(row.view(), describe(row));
        });
        return view;
    }

    public void update(Context ctx, Caller admin) {
        String id = ctx.pathParam("id");
        Responses.ok(ctx, update(admin, id, JsonBody.read(ctx, Body.class)));
    }

    /**
     * Replaces a device group's name, members, match and policy, validated as for create and
     * audited (API and console alike); 404 {@code device-group-not-found}. A deleted device that is
     * a member already may stay (GET's representation is accepted back as it is) or be left out,
     * which removes it; a deleted device that is not a member is refused as on create.
     */
    public DeviceGroupView update(Caller admin, String id, Body body) {
        TextRules.readOnly("id", body.id(), id);
        return admin.act(AuditActions.DEVICE_GROUP_UPDATE, c -> {
            DeviceGroupRow current = find(c, id);
            DeviceGroupRow row = validated(c, id, body, current.devices());
            groups.update(c, row);
            return Audited.of(row.view(), describe(row));
        });
    }

    public void list(Context ctx, Caller admin) {
        Paging paging = Paging.of(ctx);
        // Keyset paging in the database: one row more than asked says another page exists.
        List<DeviceGroupView> rows = db.read(c -> groups.page(c, paging.after(), paging.limit() + 1)).stream()
                .map(DeviceGroupRow::view).toList();
        Responses.ok(ctx, paging.shown(ctx, rows, DeviceGroupView::id));
    }

    /** Every device group with its members: for the console's pages and forms. */
    public List<DeviceGroupView> all() {
        return db.read(groups::list).stream().map(DeviceGroupRow::view).toList();
    }

    /**
     * What a group with {@code match} would select now, before it is saved: up to {@code limit}
     * live devices in id order, found in the database by the same scope a rule on the group uses
     * (then confirmed one by one), and whether more exist. 400 {@code invalid-match} as for create.
     */
    public Preview preview(DeviceGroupRow.Match match, int limit) {
        DeviceMatch criteria = match(match);
        if (criteria == null) {
            return new Preview(List.of(), false);
        }
        DeviceScope scope = new DeviceScope(false, java.util.Set.of(), java.util.Set.of(), List.of(criteria));
        List<Device> found = db.read(c -> devices.page(c, new DeviceQuery(scope, null, null, limit + 1))).stream()
                .filter(d -> criteria.matches(d.facts())).toList();
        return found.size() > limit ? new Preview(found.subList(0, limit), true) : new Preview(found, false);
    }

    /** The devices a match selects (a first page of them), and whether more follow. */
    public record Preview(List<Device> devices, boolean more) {}

    public void get(Context ctx, Caller admin) {
        Responses.ok(ctx, one(ctx.pathParam("id")));
    }

    /** One device group (404 {@code device-group-not-found}). */
    public DeviceGroupView one(String id) {
        return db.read(c -> find(c, id).view());
    }

    public void delete(Context ctx, Caller admin) {
        delete(admin, ctx.pathParam("id"));
        ctx.status(204);
    }

    /** Deletes a device group, audited (404 {@code device-group-not-found}). */
    public void delete(Caller admin, String id) {
        admin.act(AuditActions.DEVICE_GROUP_DELETE, c -> {
            DeviceGroupRow row = find(c, id);
            groups.delete(c, id);
            return Audited.of(null, "device-group:" + id + " '" + row.name() + "'");
        });
    }

    /**
     * The group to store, or 400. A member must be a live device, or (on update) a deleted one that
     * is in the group already ({@code current}): a tombstone keeps the memberships it had, so the
     * group's rules still reach its secrets until it is purged (which removes it from its groups),
     * but it never joins a group.
     */
    private DeviceGroupRow validated(Connection c, String id, Body body, List<String> current) throws SQLException {
        String name = Names.label(body.name(), "name");
        TextRules.refuseIdShaped(name, "name");
        if (groups.nameInUse(c, name, id)) {
            throw ApiException.conflict("device-group-exists", "a device group with that name already exists");
        }
        List<String> members = body.devices() == null ? List.of() : body.devices();
        for (String deviceId : members) {
            java.util.Optional<Device> device = deviceId == null ? java.util.Optional.empty() : devices.byId(c, deviceId);
            if (device.isEmpty()) {
                throw ApiException.badRequest("invalid-devices", "field 'devices' names a device that does not exist");
            }
            if (device.get().deleted() && !current.contains(deviceId)) {
                throw ApiException.badRequest("invalid-devices", "field 'devices' names device " + deviceId + " ("
                        + device.get().hostname() + "), which was deleted: a deleted device can stay in a group it"
                        + " was in, not join one");
            }
        }
        String hostname = body.match() == null ? null : body.match().hostname();
        String os = body.match() == null ? null : body.match().os();
        match(body.match());
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

    /** The match as the evaluator reads it (null for none); 400 {@code invalid-match} when it is not valid. */
    private static DeviceMatch match(DeviceGroupRow.Match match) {
        if (match == null) {
            return null;
        }
        try {
            return DeviceMatch.of(match.hostname(), match.os());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid-match", e.getMessage());
        }
    }

    private DeviceGroupRow find(Connection c, String id) throws SQLException {
        return groups.byId(c, id).orElseThrow(() -> ApiException.notFound("device-group-not-found", "no device group with that id"));
    }

    private static String describe(DeviceGroupRow row) {
        return "device-group:" + row.id() + " '" + row.name() + "' devices " + row.devices() + " match hostname="
                + row.matchHostname() + " os=" + row.matchOs() + " policy=" + row.policy();
    }
}
