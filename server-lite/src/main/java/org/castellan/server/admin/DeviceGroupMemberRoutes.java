package org.castellan.server.admin;

import io.javalin.http.Context;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.castellan.api.DeviceGroupMemberView;
import org.castellan.api.DeviceGroupMembersChanged;
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
import org.castellan.server.http.Paging;
import org.castellan.server.http.Responses;
import org.castellan.server.http.TextRules;
import org.castellan.server.policy.PolicyStore;

/**
 * {@code /api/v1/device-groups/{id}/members} (admin only): a group's devices paged in the
 * database in id order (explicit members and matched devices, each once, with how it belongs), and
 * incremental changes to the explicit members, so neither reading nor editing a group of 100,000
 * devices moves the whole list.
 */
public final class DeviceGroupMemberRoutes {
    /** Devices one change may name (add and remove together): the bound of a page. */
    static final int MAX_CHANGE = 1000;

    private final Database db;
    private final SqlDeviceGroupStore groups;
    private final DeviceStore devices;
    private final PolicyStore policies;

    public DeviceGroupMemberRoutes(Database db, SqlDeviceGroupStore groups, DeviceStore devices, PolicyStore policies) {
        this.db = db;
        this.groups = groups;
        this.devices = devices;
        this.policies = policies;
    }

    /** A change: devices (ids or host names) to add and to remove; either may be absent. */
    public record Change(List<String> add, List<String> remove) {}

    public void list(Context ctx, Caller admin) {
        String id = ctx.pathParam("id");
        Paging paging = Paging.of(ctx);
        Responses.ok(ctx, paging.shown(ctx, page(id, paging.after(), paging.limit() + 1), DeviceGroupMemberView::id));
    }

    /**
     * Up to {@code limit} of the group's devices in id order after {@code afterId} (404
     * {@code device-group-not-found}); shared with the console's group page.
     */
    public List<DeviceGroupMemberView> page(String groupId, String afterId, int limit) {
        return db.read(c -> {
            requireGroup(c, groupId);
            return groups.memberPage(c, groupId, afterId, limit).stream().map(m -> new DeviceGroupMemberView(m.id(),
                    m.hostname(), m.os(), m.explicit(), m.matched(), m.deleted())).toList();
        });
    }

    public void change(Context ctx, Caller admin) {
        Responses.ok(ctx, change(admin, ctx.pathParam("id"), JsonBody.read(ctx, Change.class)));
    }

    /**
     * Adds and removes explicit members in one audited transaction: every device is resolved and
     * checked before anything is written, so a refused change (400, 404) changes nothing. Adding a
     * member or removing a non-member is no change; a deleted device may leave a group, never join one.
     */
    public DeviceGroupMembersChanged change(Caller admin, String groupId, Change body) {
        List<String> add = refs(body.add(), "add");
        List<String> remove = refs(body.remove(), "remove");
        if (add.isEmpty() && remove.isEmpty()) {
            throw ApiException.badRequest("invalid-members", "give devices to 'add' and/or 'remove'");
        }
        if (add.size() + remove.size() > MAX_CHANGE) {
            throw ApiException.badRequest("too-many-devices", "at most " + MAX_CHANGE
                    + " devices per change ('add' and 'remove' together); send the rest in another");
        }
        return admin.act(AuditActions.DEVICE_GROUP_UPDATE, c -> {
            DeviceGroupRow group = groups.byId(c, groupId).orElseThrow(() ->
                    ApiException.notFound("device-group-not-found", "no device group with that id"));
            Set<String> joining = new LinkedHashSet<>();
            for (String ref : add) {
                Device d = resolve(c, ref, "add");
                if (d.deleted() && !groups.isMember(c, groupId, d.id())) {
                    throw ApiException.badRequest("invalid-devices", "field 'add' names device " + d.id() + " ("
                            + d.hostname() + "), which was deleted: a deleted device can stay in a group it was in,"
                            + " not join one");
                }
                joining.add(d.id());
            }
            Set<String> leaving = new LinkedHashSet<>();
            for (String ref : remove) {
                leaving.add(resolve(c, ref, "remove").id());
            }
            Set<String> both = new LinkedHashSet<>(joining);
            both.retainAll(leaving);
            if (!both.isEmpty()) {
                throw ApiException.badRequest("invalid-members", "device " + both.iterator().next()
                        + " is both in 'add' and in 'remove'");
            }
            List<String> added = new ArrayList<>();
            for (String deviceId : joining) {
                if (groups.addMember(c, groupId, deviceId)) {
                    added.add(deviceId);
                }
            }
            List<String> removed = new ArrayList<>();
            for (String deviceId : leaving) {
                if (groups.removeMember(c, groupId, deviceId)) {
                    removed.add(deviceId);
                }
            }
            long count = groups.explicitCount(c, groupId);
            if (!added.isEmpty()) {
                // Members reach every system: the group's policy must fit them all (as a PUT checks).
                // Refused here, the transaction rolls back and nothing is written.
                DeviceGroupRoutes.requirePolicyReaches(c, policies, group.policy(), group.matchOs(), count > 0);
            }
            DeviceGroupMembersChanged answer = new DeviceGroupMembersChanged(added.size(), removed.size(), count);
            if (added.isEmpty() && removed.isEmpty()) {
                return Audited.unchanged(answer);
            }
            return Audited.of(answer, "device-group:" + groupId + " members added " + added + " removed " + removed);
        });
    }

    /** The refs of one field, each non-blank; empty when the field is absent. */
    private static List<String> refs(List<String> refs, String field) {
        if (refs == null) {
            return List.of();
        }
        for (String ref : refs) {
            if (ref == null || ref.isBlank() || ref.length() > 253 || TextRules.hasControlCharacters(ref)) {
                throw ApiException.badRequest("invalid-devices", "field '" + field
                        + "' must list device ids or host names (1 to 253 characters each)");
            }
        }
        return refs;
    }

    /**
     * A device by id, else by host name (live devices only, exactly one of that name): names are
     * accepted wherever ids are. 400 {@code invalid-devices} naming the ref when none (or two) fit.
     */
    private Device resolve(Connection c, String ref, String field) throws SQLException {
        Optional<Device> byId = devices.byId(c, ref);
        if (byId.isPresent()) {
            return byId.get();
        }
        if (ref.matches("[A-Za-z0-9._-]{1,253}")) {
            List<Device> named = devices.page(c, new DeviceQuery(DeviceScope.ALL, ref, null, 2));
            if (named.size() == 1) {
                return named.get(0);
            }
            if (named.size() > 1) {
                throw ApiException.badRequest("ambiguous-device", "field '" + field + "': more than one device is named "
                        + ref + "; give its id");
            }
        }
        throw ApiException.badRequest("invalid-devices", "field '" + field + "' names no device: " + ref);
    }

    private void requireGroup(Connection c, String groupId) throws SQLException {
        if (!groups.exists(c, groupId)) {
            throw ApiException.notFound("device-group-not-found", "no device group with that id");
        }
    }
}
