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
import org.castellan.server.groups.DeviceGroupMatchFill;
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
    private final DeviceGroupMatchFill matchFill;

    /** @param matchFill fills a saved match's rows after the group's write (not inside it: issue 11) */
    public DeviceGroupRoutes(Database db, SqlDeviceGroupStore groups, DeviceStore devices, PolicyStore policies,
                             Clock clock, DeviceGroupMatchFill matchFill) {
        this.db = db;
        this.matchFill = matchFill;
        this.groups = groups;
        this.devices = devices;
        this.policies = policies;
        this.clock = clock;
    }

    /**
     * POST and PUT body; {@code id} is read-only (PUT accepts GET's representation with the same id),
     * the counts are derived and ignored. {@code devices} absent (null) on PUT keeps the explicit
     * members as they are (GET does not list them, and GET's answer PUT back must not empty the
     * group); a list replaces them ({@code []} removes every one).
     */
    public record Body(String id, String name, List<String> devices, DeviceGroupRow.Match match, String policy,
                       Long memberCount, Long matchedCount) {
        /** A body as the console's forms send it. */
        public Body(String id, String name, List<String> devices, DeviceGroupRow.Match match, String policy) {
            this(id, name, devices, match, policy, null, null);
        }
    }

    public void create(Context ctx, Caller admin) {
        Responses.json(ctx, 201, create(admin, JsonBody.read(ctx, Body.class)));
    }

    /** Validates and stores a device group, audited (API and console alike). */
    public DeviceGroupView create(Caller admin, Body body) {
        if (body.id() != null) {
            throw ApiException.badRequest("read-only-id", "field 'id' is chosen by the server; leave it out");
        }
        String id = Tokens.newId();
        DeviceGroupRow saved = admin.act(AuditActions.DEVICE_GROUP_CREATE, c -> {
            DeviceGroupRow row = validated(c, id, body, false);
            groups.insert(c, row, clock.instant());
            return Audited.of(row, describe(row, body.devices() != null));
        });
        return filled(saved);
    }

    public void update(Context ctx, Caller admin) {
        String id = ctx.pathParam("id");
        Responses.ok(ctx, update(admin, id, JsonBody.read(ctx, Body.class)));
    }

    /**
     * Replaces a device group's name, match and policy and, when {@code devices} is given, its
     * explicit members, validated as for create and audited (API and console alike); 404
     * {@code device-group-not-found}. A deleted device that is a member already may stay or be left
     * out, which removes it; a deleted device that is not a member is refused as on create.
     */
    public DeviceGroupView update(Caller admin, String id, Body body) {
        TextRules.readOnly("id", body.id(), id);
        DeviceGroupRow saved = admin.act(AuditActions.DEVICE_GROUP_UPDATE, c -> {
            find(c, id);
            DeviceGroupRow row = validated(c, id, body, true);
            groups.update(c, row);
            if (body.devices() != null) {
                groups.replaceMembers(c, id, row.devices());
            }
            return Audited.of(row, describe(row, body.devices() != null));
        });
        return filled(saved);
    }

    /**
     * After a group's write: its match's rows are filled in the background (a match saved or
     * changed only marks them to be filled, never fills them in the write: issue 11), and the
     * answer's counts are read after the commit, outside the write (while the match fills, its
     * count tests the match on every device).
     */
    private DeviceGroupView filled(DeviceGroupRow saved) {
        matchFill.requested();
        return db.read(c -> view(c, saved));
    }

    public void list(Context ctx, Caller admin) {
        Paging paging = Paging.of(ctx);
        // Keyset paging in the database: one row more than asked says another page exists.
        // Members are counted, for this page's groups only, never read.
        List<DeviceGroupView> rows = db.read(c -> views(c, groups.page(c, paging.after(), paging.limit() + 1)));
        Responses.ok(ctx, paging.shown(ctx, rows, DeviceGroupView::id));
    }

    /** Every device group with its member counts: for the console's pages and forms (groups are few, members many). */
    public List<DeviceGroupView> all() {
        return db.read(c -> views(c, groups.definitions(c)));
    }

    /** Every device group's id and name, members neither read nor counted: for the console's pickers. */
    public List<DeviceGroupRow> definitions() {
        return db.read(groups::definitions);
    }

    private List<DeviceGroupView> views(Connection c, List<DeviceGroupRow> rows) throws SQLException {
        java.util.Map<String, SqlDeviceGroupStore.Counts> counts = groups.counts(c,
                rows.stream().map(DeviceGroupRow::id).toList());
        return rows.stream().map(r -> r.view(counts.getOrDefault(r.id(), SqlDeviceGroupStore.Counts.NONE))).toList();
    }

    private DeviceGroupView view(Connection c, DeviceGroupRow row) throws SQLException {
        return views(c, List.of(row)).get(0);
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
        return db.read(c -> view(c, find(c, id)));
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
        // Its match's rows are purged after the delete, in bounded writes (db/sqlite/V98).
        matchFill.requested();
    }

    /**
     * The group to store, or 400. A member must be a live device, or (on update, {@code existing})
     * a deleted one that is in the group already: a tombstone keeps the memberships it had, so the
     * group's rules still reach its secrets until it is purged (which removes it from its groups),
     * but it never joins a group.
     */
    private DeviceGroupRow validated(Connection c, String id, Body body, boolean existing) throws SQLException {
        String name = Names.label(body.name(), "name");
        TextRules.refuseIdShaped(name, "name");
        if (groups.nameInUse(c, name, id)) {
            throw ApiException.conflict("device-group-exists", "a device group with that name already exists");
        }
        List<String> members = body.devices() == null ? List.of() : body.devices();
        // Members kept as they are (PUT without devices) still reach the systems they run.
        boolean explicitMembers = body.devices() == null ? existing && groups.explicitCount(c, id) > 0
                : !members.isEmpty();
        for (String deviceId : members) {
            java.util.Optional<Device> device = deviceId == null ? java.util.Optional.empty() : devices.byId(c, deviceId);
            if (device.isEmpty()) {
                throw ApiException.badRequest("invalid-devices", "field 'devices' names a device that does not exist");
            }
            if (device.get().deleted() && !(existing && groups.isMember(c, id, deviceId))) {
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
        requirePolicyReaches(c, policies, policy, matchOs, explicitMembers);
        return new DeviceGroupRow(id, name, members, hostname, matchOs, policy);
    }

    /**
     * 400 {@code invalid-policy} unless the policy's account is an account name on every system the
     * group reaches: only its match's OS while it has no explicit members, every system once it has
     * (a member may run any). Shared with the member change, which can give a group its first one.
     */
    static void requirePolicyReaches(Connection c, PolicyStore policies, String policy, String matchOs,
                                     boolean explicitMembers) throws SQLException {
        if (policy == null) {
            return;
        }
        String account = policies.byName(c, policy).map(org.castellan.server.policy.Policy::account).orElse("");
        try {
            org.castellan.server.policy.AccountNames.require(account,
                    org.castellan.server.policy.AccountNames.reachedBy(matchOs, explicitMembers));
        } catch (ApiException e) {
            throw ApiException.badRequest("invalid-policy", "policy '" + policy + "': " + e.getMessage());
        }
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

    private static String describe(DeviceGroupRow row, boolean membersWritten) {
        return "device-group:" + row.id() + " '" + row.name() + "' devices "
                + (membersWritten ? row.devices() : "unchanged") + " match hostname="
                + row.matchHostname() + " os=" + row.matchOs() + " policy=" + row.policy();
    }
}
