package org.castellan.server.admin;

import io.javalin.http.Context;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.castellan.api.DeviceView;
import org.castellan.api.Purged;
import org.castellan.api.RotationRequested;
import org.castellan.server.audit.AuditActions;
import org.castellan.server.db.Database;
import org.castellan.server.devices.Device;
import org.castellan.server.devices.DeviceStore;
import org.castellan.server.groups.DeviceGroupRow;
import org.castellan.server.groups.SqlDeviceGroupStore;
import org.castellan.server.guard.AccessDecision;
import org.castellan.server.guard.Audited;
import org.castellan.server.guard.Caller;
import org.castellan.server.guard.DeviceGrant;
import org.castellan.server.guard.Refusals;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.JsonBody;
import org.castellan.server.http.Paging;
import org.castellan.server.http.Responses;
import org.castellan.server.http.TextRules;
import org.castellan.server.recovery.UnprotectedVolumes;
import org.castellan.server.rotation.Rotation;
import org.castellan.server.rotation.RotationStore;
import org.castellan.server.users.Principal;

/**
 * {@code /api/v1/devices}: list and look up (only devices the caller has some permission on),
 * ask a device to rotate, and the lifecycle: approve, disable, enable, delete, purge.
 *
 * <p>Delete leaves a tombstone (promise 1: no single call destroys the last password): the device
 * leaves the lists ({@code ?deleted=true} lists the tombstones), its agent is refused, and its
 * passwords and recovery keys stay revealable, audited, for the retention period, after which the
 * retention job purges them. An admin can purge a tombstone earlier, with a reason.
 */
public final class DeviceRoutes {
    private final Database db;
    private final DeviceStore devices;
    private final RotationStore rotations;
    private final SqlDeviceGroupStore groups;
    private final AccessDecision decisions;
    private final java.time.Duration retention;
    private final Clock clock;

    public DeviceRoutes(Database db, DeviceStore devices, RotationStore rotations, SqlDeviceGroupStore groups,
                        AccessDecision decisions, java.time.Duration retention, Clock clock) {
        this.db = db;
        this.retention = retention;
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
        boolean deleted = deletedParam(ctx.queryParam("deleted"));
        Paging paging = Paging.of(ctx);
        List<DeviceView> views = db.read(c -> {
            AccessDecision.CallerAccess rights = decisions.of(c, caller.principal());
            List<DeviceView> out = new ArrayList<>();
            for (Device device : deleted ? devices.listDeleted(c, hostname) : devices.list(c, hostname)) {
                if (rights.maySee(device)) {
                    out.add(view(c, device));
                }
            }
            return out;
        });
        Responses.ok(ctx, paging.page(ctx, views, DeviceView::id));
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
            return view(c, device);
        }));
    }

    private static boolean deletedParam(String value) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw ApiException.badRequest("invalid-deleted", "deleted must be true or false");
    }

    /** 409 {@code device-deleted} for what a tombstone cannot do (rotate, approve, be deleted again). */
    private static void requireNotDeleted(Device device) {
        if (device.deleted()) {
            throw ApiException.conflict("device-deleted", "this device was deleted at " + device.deletedAt()
                    + "; its secrets stay readable until purged (POST /api/v1/devices/{id}/purge)");
        }
    }

    public void requestRotation(Context ctx, DeviceGrant grant) {
        requireNotDeleted(grant.device());
        Instant now = clock.instant();
        grant.use(c -> {
            devices.requestRotation(c, grant.device().id(), now);
            return Audited.of(null, null);
        });
        Responses.json(ctx, 202, new RotationRequested(now));
    }

    public void approve(Context ctx, DeviceGrant grant) {
        requireNotDeleted(grant.device());
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
        Device device = grant.device();
        requireNotDeleted(device);
        Instant now = clock.instant();
        grant.use(c -> {
            devices.markDeleted(c, device.id(), now);
            return Audited.of(null, "hostname " + device.hostname() + "; passwords and recovery keys kept until "
                    + now.plus(retention) + " (retention " + retention.toDays() + " days) or an explicit purge");
        });
        ctx.status(204);
    }

    /** The body of an explicit purge: the reason is required. */
    public record PurgeRequest(String reason) {}

    /** {@code POST /api/v1/devices/{id}/purge} (admin): a tombstone's secrets and row, now, with a reason. */
    public void purge(Context ctx, Caller admin) {
        String id = ctx.pathParam("id");
        String reason = TextRules.requiredReason(JsonBody.read(ctx, PurgeRequest.class).reason());
        Purged purged = admin.act(AuditActions.DEVICE_PURGE, id, reason, c -> {
            Device device = devices.byId(c, id).orElseThrow(() ->
                    ApiException.notFound("device-not-found", "no device with that id"));
            if (!device.deleted()) {
                throw ApiException.conflict("device-not-deleted",
                        "only a deleted device can be purged: delete it first (DELETE /api/v1/devices/{id})");
            }
            DeviceStore.Purged gone = devices.purge(c, id);
            return Audited.of(new Purged(id, true, gone.passwords(), gone.recoveryKeys()),
                    org.castellan.server.retention.TombstonePurger.describe(gone, device) + " by an administrator");
        });
        Responses.ok(ctx, purged);
    }

    private interface Change {
        void apply(Connection c) throws SQLException;
    }

    private void lifecycle(Context ctx, DeviceGrant grant, Change change) {
        String id = grant.device().id();
        DeviceView view = grant.use(c -> {
            change.apply(c);
            return Audited.of(view(c, devices.byId(c, id).orElseThrow()), null);
        });
        Responses.ok(ctx, view);
    }

    private DeviceView view(Connection c, Device d) throws SQLException {
        Instant rotatedAt = rotations.current(c, d.id()).map(Rotation::committedAt).orElse(null);
        boolean pending = !rotations.pending(c, d.id()).isEmpty();
        List<String> groupIds = new ArrayList<>();
        for (DeviceGroupRow g : groups.list(c)) {
            if (g.toAccessGroup().contains(d.facts())) {
                groupIds.add(g.id());
            }
        }
        return new DeviceView(d.id(), d.hostname(), d.os(), d.osVersion(), d.agentVersion(), d.account(),
                d.accountProblem(), d.registeredAt(), d.lastSeenAt(), rotatedAt, pending, d.rotateRequestedAt(),
                d.warnings(), d.status(), groupIds, UnprotectedVolumes.of(c, d.id()), d.deletedAt(),
                d.deletedAt() == null ? null : d.deletedAt().plus(retention));
    }
}
