package org.castellan.server.devices;

import io.javalin.http.Context;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.castellan.server.audit.AuditActions;
import org.castellan.server.audit.AuditEvent;
import org.castellan.server.audit.AuditLog;
import org.castellan.server.db.Database;
import org.castellan.server.http.AdminAuth;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.Clients;
import org.castellan.server.http.Responses;
import org.castellan.server.http.RouteTable;
import org.castellan.server.http.TextRules;
import org.castellan.server.recovery.UnprotectedVolumes;
import org.castellan.server.rotation.Rotation;
import org.castellan.server.rotation.RotationStore;
import org.castellan.server.users.Principal;

/** {@code /api/v1/devices}: list, look up, and ask a device to rotate at its next check-in. */
public final class DeviceRoutes {
    private final Database db;
    private final DeviceStore devices;
    private final RotationStore rotations;
    private final AuditLog audit;
    private final AdminAuth auth;
    private final Clock clock;

    public DeviceRoutes(Database db, DeviceStore devices, RotationStore rotations, AuditLog audit,
                        AdminAuth auth, Clock clock) {
        this.db = db;
        this.devices = devices;
        this.rotations = rotations;
        this.audit = audit;
        this.auth = auth;
        this.clock = clock;
    }

    public void register(RouteTable routes) {
        routes.get("/api/v1/devices", this::list);
        routes.get("/api/v1/devices/{id}", this::get);
        routes.post("/api/v1/devices/{id}/rotate", this::requestRotation);
    }

    private void list(Context ctx) {
        auth.require(ctx);
        String hostname = ctx.queryParam("hostname");
        if (hostname != null) {
            TextRules.hostname(hostname);
        }
        Responses.ok(ctx, db.read(c -> {
            List<DeviceView> views = new ArrayList<>();
            for (Device device : devices.list(c, hostname)) {
                views.add(view(c, device));
            }
            return views;
        }));
    }

    private void get(Context ctx) {
        auth.require(ctx);
        String id = ctx.pathParam("id");
        Responses.ok(ctx, db.read(c -> view(c, find(c, id))));
    }

    private void requestRotation(Context ctx) {
        Principal principal = auth.require(ctx);
        String id = ctx.pathParam("id");
        Instant now = clock.instant();
        db.write(c -> {
            find(c, id);
            devices.requestRotation(c, id, now);
            audit.append(c, AuditEvent.of(principal.id(), AuditActions.DEVICE_ROTATE_REQUEST, "ok", id, Clients.address(ctx)));
            return null;
        });
        Responses.json(ctx, 202, Map.of("rotateRequestedAt", now));
    }

    private Device find(Connection c, String id) throws SQLException {
        return devices.byId(c, id).orElseThrow(() -> ApiException.notFound("device-not-found", "no device with that id"));
    }

    private DeviceView view(Connection c, Device d) throws SQLException {
        Instant rotatedAt = rotations.current(c, d.id()).map(Rotation::committedAt).orElse(null);
        boolean pending = !rotations.pending(c, d.id()).isEmpty();
        return new DeviceView(d.id(), d.hostname(), d.os(), d.osVersion(), d.agentVersion(), d.account(),
                d.accountProblem(), d.registeredAt(), d.lastSeenAt(), rotatedAt, pending, d.rotateRequestedAt(),
                d.warnings(), UnprotectedVolumes.of(c, d.id()));
    }
}
