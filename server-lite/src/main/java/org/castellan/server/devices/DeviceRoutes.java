package org.castellan.server.devices;

import io.javalin.http.Context;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.castellan.server.access.Permission;
import org.castellan.server.audit.AuditActions;
import org.castellan.server.db.Database;
import org.castellan.server.groups.DeviceGroupRow;
import org.castellan.server.groups.SqlDeviceGroupStore;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.AuthorizedDevice;
import org.castellan.server.http.Authorizer;
import org.castellan.server.http.Paging;
import org.castellan.server.http.Responses;
import org.castellan.server.http.RouteTable;
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
    private final Authorizer auth;
    private final Clock clock;

    public DeviceRoutes(Database db, DeviceStore devices, RotationStore rotations, SqlDeviceGroupStore groups,
                        Authorizer auth, Clock clock) {
        this.db = db;
        this.devices = devices;
        this.rotations = rotations;
        this.groups = groups;
        this.auth = auth;
        this.clock = clock;
    }

    public void register(RouteTable routes) {
        routes.get("/api/v1/devices", this::list);
        routes.get("/api/v1/devices/{id}", this::get);
        routes.post("/api/v1/devices/{id}/rotate", this::requestRotation);
        routes.post("/api/v1/devices/{id}/approve", ctx -> lifecycle(ctx, AuditActions.DEVICE_APPROVE));
        routes.post("/api/v1/devices/{id}/disable", ctx -> lifecycle(ctx, AuditActions.DEVICE_DISABLE));
        routes.post("/api/v1/devices/{id}/enable", ctx -> lifecycle(ctx, AuditActions.DEVICE_ENABLE));
        routes.delete("/api/v1/devices/{id}", this::delete);
    }

    private void list(Context ctx) {
        Principal principal = auth.authenticate(ctx);
        String hostname = ctx.queryParam("hostname");
        if (hostname != null) {
            TextRules.hostname(hostname);
        }
        Paging paging = Paging.of(ctx);
        List<DeviceView> views = db.read(c -> {
            List<DeviceView> out = new ArrayList<>();
            for (Device device : devices.list(c, hostname)) {
                if (auth.maySee(c, principal, device)) {
                    out.add(view(c, device));
                }
            }
            return out;
        });
        Responses.ok(ctx, paging.page(ctx, views, DeviceView::id));
    }

    private void get(Context ctx) {
        Principal principal = auth.authenticate(ctx);
        String id = ctx.pathParam("id");
        Responses.ok(ctx, db.read(c -> {
            Device device = devices.byId(c, id).orElse(null);
            if (device == null) {
                throw principal.admin() ? ApiException.notFound("device-not-found", "no device with that id")
                        : Authorizer.forbidden();
            }
            if (!auth.maySee(c, principal, device)) {
                throw Authorizer.forbidden();
            }
            return view(c, device);
        }));
    }

    private void requestRotation(Context ctx) {
        AuthorizedDevice granted = auth.authorize(ctx, Permission.DEVICE_ROTATE, ctx.pathParam("id"),
                AuditActions.DEVICE_ROTATE_REQUEST);
        Instant now = clock.instant();
        db.write(c -> {
            devices.requestRotation(c, granted.device().id(), now);
            auth.recordGranted(c, granted, null);
            return null;
        });
        Responses.json(ctx, 202, Map.of("rotateRequestedAt", now));
    }

    private void lifecycle(Context ctx, String action) {
        AuthorizedDevice granted = auth.authorize(ctx, Permission.DEVICE_MANAGE, ctx.pathParam("id"), action);
        String id = granted.device().id();
        Instant now = clock.instant();
        DeviceView view = db.write(c -> {
            switch (action) {
                case AuditActions.DEVICE_APPROVE -> devices.approve(c, id, now);
                case AuditActions.DEVICE_DISABLE -> devices.setDisabled(c, id, now);
                default -> devices.setDisabled(c, id, null);
            }
            auth.recordGranted(c, granted, null);
            return view(c, devices.byId(c, id).orElseThrow());
        });
        Responses.ok(ctx, view);
    }

    private void delete(Context ctx) {
        AuthorizedDevice granted = auth.authorize(ctx, Permission.DEVICE_MANAGE, ctx.pathParam("id"),
                AuditActions.DEVICE_DELETE);
        db.write(c -> {
            devices.delete(c, granted.device().id());
            auth.recordGranted(c, granted, "hostname " + granted.device().hostname());
            return null;
        });
        ctx.status(204);
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
                d.warnings(), d.status(), groupIds, UnprotectedVolumes.of(c, d.id()));
    }
}
