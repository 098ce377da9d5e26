package org.castellan.server.admin;

import io.javalin.http.Context;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.castellan.api.DeviceView;
import org.castellan.api.RotationRequested;
import org.castellan.server.db.Database;
import org.castellan.server.access.DeviceGroup;
import org.castellan.server.devices.Device;
import org.castellan.server.devices.DeviceQuery;
import org.castellan.server.devices.DeviceScope;
import org.castellan.server.devices.DeviceStore;
import org.castellan.server.groups.DeviceGroupRow;
import org.castellan.server.groups.SqlDeviceGroupStore;
import org.castellan.server.guard.AccessDecision;
import org.castellan.server.guard.Audited;
import org.castellan.server.guard.Caller;
import org.castellan.server.guard.DeviceGrant;
import org.castellan.server.guard.Refusals;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.Paging;
import org.castellan.server.http.Responses;
import org.castellan.server.http.TextRules;
import org.castellan.server.recovery.UnprotectedVolumes;
import org.castellan.server.rotation.Rotation;
import org.castellan.server.rotation.RotationStore;
import org.castellan.server.users.Principal;

/**
 * {@code /api/v1/devices}: list and look up (only devices the caller has some permission on),
 * ask a device to rotate, and the lifecycle: approve, disable, enable, delete.
 */
public final class DeviceRoutes {
    private final Database db;
    private final DeviceStore devices;
    private final RotationStore rotations;
    private final SqlDeviceGroupStore groups;
    private final AccessDecision decisions;
    private final Clock clock;

    public DeviceRoutes(Database db, DeviceStore devices, RotationStore rotations, SqlDeviceGroupStore groups,
                        AccessDecision decisions, Clock clock) {
        this.db = db;
        this.devices = devices;
        this.rotations = rotations;
        this.groups = groups;
        this.decisions = decisions;
        this.clock = clock;
    }

    public void list(Context ctx, Caller caller) {
        String hostname = ctx.queryParam("hostname");
        if (hostname != null) {
            TextRules.hostname(hostname);
        }
        Paging paging = Paging.of(ctx);
        int limit = paging.limit();
        List<DeviceView> views = db.read(c -> {
            AccessDecision.CallerAccess rights = decisions.of(c, caller.principal());
            DeviceScope scope = rights.scope();
            List<DeviceGroup> allGroups = accessGroups(c);
            List<DeviceView> out = new ArrayList<>();
            // Keyset pages from the database, in id order; the scope narrows them in SQL and each
            // row is confirmed with the full access decision. One row more than asked says another
            // page exists.
            String after = paging.after();
            while (out.size() <= limit) {
                List<Device> batch = devices.page(c, new DeviceQuery(scope, hostname, after, limit + 1));
                for (Device device : batch) {
                    if (out.size() <= limit && rights.maySee(device)) {
                        out.add(view(c, device, allGroups));
                    }
                }
                if (batch.size() <= limit) {
                    break;
                }
                after = batch.get(batch.size() - 1).id();
            }
            return out;
        });
        if (views.size() > limit) {
            views = views.subList(0, limit);
            Paging.next(ctx, views.get(limit - 1).id());
        }
        Responses.ok(ctx, views);
    }

    public void get(Context ctx, Caller caller) {
        Principal principal = caller.principal();
        String id = ctx.pathParam("id");
        Responses.ok(ctx, db.read(c -> {
            Device device = devices.byId(c, id).orElse(null);
            if (device == null) {
                throw principal.admin() ? ApiException.notFound("device-not-found", "no device with that id")
                        : Refusals.forbidden();
            }
            if (!decisions.of(c, principal).maySee(device)) {
                throw Refusals.forbidden();
            }
            return view(c, device, accessGroups(c));
        }));
    }

    public void requestRotation(Context ctx, DeviceGrant grant) {
        Instant now = clock.instant();
        grant.use(c -> {
            devices.requestRotation(c, grant.device().id(), now);
            return Audited.of(null, null);
        });
        Responses.json(ctx, 202, new RotationRequested(now));
    }

    public void approve(Context ctx, DeviceGrant grant) {
        Instant now = clock.instant();
        lifecycle(ctx, grant, c -> devices.approve(c, grant.device().id(), now));
    }

    public void disable(Context ctx, DeviceGrant grant) {
        Instant now = clock.instant();
        lifecycle(ctx, grant, c -> devices.setDisabled(c, grant.device().id(), now));
    }

    public void enable(Context ctx, DeviceGrant grant) {
        lifecycle(ctx, grant, c -> devices.setDisabled(c, grant.device().id(), null));
    }

    public void delete(Context ctx, DeviceGrant grant) {
        grant.use(c -> {
            devices.delete(c, grant.device().id());
            return Audited.of(null, "hostname " + grant.device().hostname());
        });
        ctx.status(204);
    }

    private interface Change {
        void apply(Connection c) throws SQLException;
    }

    private void lifecycle(Context ctx, DeviceGrant grant, Change change) {
        String id = grant.device().id();
        DeviceView view = grant.use(c -> {
            change.apply(c);
            return Audited.of(view(c, devices.byId(c, id).orElseThrow(), accessGroups(c)), null);
        });
        Responses.ok(ctx, view);
    }

    private List<DeviceGroup> accessGroups(Connection c) throws SQLException {
        return groups.list(c).stream().map(DeviceGroupRow::toAccessGroup).toList();
    }

    private DeviceView view(Connection c, Device d, List<DeviceGroup> allGroups) throws SQLException {
        Instant rotatedAt = rotations.current(c, d.id()).map(Rotation::committedAt).orElse(null);
        boolean pending = !rotations.pending(c, d.id()).isEmpty();
        List<String> groupIds = new ArrayList<>();
        for (DeviceGroup g : allGroups) {
            if (g.contains(d.facts())) {
                groupIds.add(g.id());
            }
        }
        return new DeviceView(d.id(), d.hostname(), d.os(), d.osVersion(), d.agentVersion(), d.account(),
                d.accountProblem(), d.registeredAt(), d.lastSeenAt(), rotatedAt, pending, d.rotateRequestedAt(),
                d.warnings(), d.status(), groupIds, UnprotectedVolumes.of(c, d.id()));
    }
}
