package org.castellan.server.rotation;

import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.castellan.server.audit.AuditActions;
import org.castellan.server.audit.AuditEvent;
import org.castellan.server.audit.AuditLog;
import org.castellan.server.db.Database;
import org.castellan.server.devices.Device;
import org.castellan.server.devices.DeviceStore;
import org.castellan.server.http.AdminAuth;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.Clients;
import org.castellan.server.http.Metrics;
import org.castellan.server.http.Responses;
import org.castellan.server.http.RouteTable;
import org.castellan.server.http.TextRules;
import org.castellan.server.users.Principal;

/**
 * Password reveal and history (promise 3: every attempt, granted or denied, is audited before
 * anything is returned). The reveal shows the current (latest committed) password and every
 * pending one, since the agent may have set a pending password before it could commit (promise 1).
 */
public final class PasswordRoutes {
    static final String PENDING_NOTE = "may be in use: escrowed but not confirmed by the device";
    private final Database db;
    private final DeviceStore devices;
    private final RotationStore rotations;
    private final AuditLog audit;
    private final AdminAuth auth;
    private final PasswordOpener opener;
    private final Metrics metrics;

    public PasswordRoutes(Database db, DeviceStore devices, RotationStore rotations, AuditLog audit,
                          AdminAuth auth, PasswordOpener opener, Metrics metrics) {
        this.db = db;
        this.devices = devices;
        this.rotations = rotations;
        this.audit = audit;
        this.auth = auth;
        this.opener = opener;
        this.metrics = metrics;
    }

    public record PendingPassword(String rotationId, String account, String password, Instant escrowedAt, String note) {}

    public record Reveal(String deviceId, String hostname, String account, String password, String rotationId,
                         Instant rotatedAt, Instant expiresAt, List<PendingPassword> pending) {}

    public record HistoryEntry(String rotationId, String account, String state, Instant escrowedAt,
                               Instant committedAt, Instant abortedAt, Instant expiresAt, String password) {}

    public void register(RouteTable routes) {
        routes.get("/api/v1/devices/{id}/password", this::reveal);
        routes.get("/api/v1/devices/{id}/password/history", this::history);
    }

    private void reveal(Context ctx) {
        Principal principal = authenticateOrAudit(ctx, AuditActions.PASSWORD_REVEAL);
        String reason = TextRules.reason(ctx.queryParam("reason"));
        Device device = device(ctx.pathParam("id"));
        Reveal reveal = db.read(c -> {
            Optional<Rotation> current = rotations.current(c, device.id());
            List<Rotation> pending = rotations.pending(c, device.id());
            if (current.isEmpty() && pending.isEmpty()) {
                throw ApiException.notFound("no-password", "no password has been escrowed for this device yet");
            }
            List<PendingPassword> pendingPasswords = new ArrayList<>();
            for (Rotation r : pending) {
                pendingPasswords.add(new PendingPassword(r.id(), r.account(), opener.reveal(r), r.escrowedAt(), PENDING_NOTE));
            }
            return current.map(r -> new Reveal(device.id(), device.hostname(), r.account(), opener.reveal(r), r.id(),
                            r.committedAt(), r.expiresAt(), pendingPasswords))
                    .orElseGet(() -> new Reveal(device.id(), device.hostname(), pending.get(0).account(), null, null, null, null,
                            pendingPasswords));
        });
        db.write(c -> {
            audit.append(c, new AuditEvent(principal.id(), AuditActions.PASSWORD_REVEAL, "granted", device.id(), reason,
                    Clients.address(ctx), reveal.rotationId() == null ? "pending only" : "rotation " + reveal.rotationId()));
            return null;
        });
        metrics.reveal(true);
        Responses.ok(ctx, reveal);
    }

    private void history(Context ctx) {
        Principal principal = authenticateOrAudit(ctx, AuditActions.PASSWORD_HISTORY);
        String reason = TextRules.reason(ctx.queryParam("reason"));
        Device device = device(ctx.pathParam("id"));
        List<HistoryEntry> entries = db.read(c -> {
            List<HistoryEntry> list = new ArrayList<>();
            for (Rotation r : rotations.history(c, device.id())) {
                String password = Rotation.ABORTED.equals(r.state()) ? null : opener.reveal(r);
                list.add(new HistoryEntry(r.id(), r.account(), r.state(), r.escrowedAt(), r.committedAt(),
                        r.abortedAt(), r.expiresAt(), password));
            }
            return list;
        });
        db.write(c -> {
            audit.append(c, new AuditEvent(principal.id(), AuditActions.PASSWORD_HISTORY, "granted", device.id(), reason,
                    Clients.address(ctx), entries.size() + " rotations"));
            return null;
        });
        metrics.reveal(true);
        Responses.ok(ctx, entries);
    }

    /** A reveal without a valid token is refused, and the refusal is on record. */
    private Principal authenticateOrAudit(Context ctx, String action) {
        Optional<Principal> principal = auth.authenticate(ctx);
        if (principal.isPresent()) {
            return principal.get();
        }
        String deviceId = ctx.pathParam("id");
        String recordedId = deviceId.matches("[A-Za-z0-9-]{1,64}") ? deviceId : null;
        db.write(c -> {
            audit.append(c, new AuditEvent("anonymous", action, "denied", recordedId, null, Clients.address(ctx),
                    "missing, unknown, revoked or expired API token"));
            return null;
        });
        metrics.reveal(false);
        throw AdminAuth.unauthorized();
    }

    private Device device(String id) {
        return db.read(c -> devices.byId(c, id)).orElseThrow(() ->
                ApiException.notFound("device-not-found", "no device with that id"));
    }
}
