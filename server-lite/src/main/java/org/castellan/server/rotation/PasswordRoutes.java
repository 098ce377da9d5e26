package org.castellan.server.rotation;

import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.castellan.server.audit.AuditActions;
import org.castellan.server.audit.AuditLog;
import org.castellan.server.db.Database;
import org.castellan.server.devices.Device;
import org.castellan.server.devices.DeviceStore;
import org.castellan.server.access.Permission;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.AuthorizedDevice;
import org.castellan.server.http.Authorizer;
import org.castellan.server.http.Responses;
import org.castellan.server.http.RouteTable;

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
    private final Authorizer auth;
    private final PasswordOpener opener;
    private final Clock clock;

    public PasswordRoutes(Database db, DeviceStore devices, RotationStore rotations, AuditLog audit,
                          Authorizer auth, PasswordOpener opener, Clock clock) {
        this.db = db;
        this.devices = devices;
        this.rotations = rotations;
        this.audit = audit;
        this.auth = auth;
        this.opener = opener;
        this.clock = clock;
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
        AuthorizedDevice granted = auth.authorize(ctx, Permission.PASSWORD_READ, ctx.pathParam("id"),
                AuditActions.PASSWORD_REVEAL);
        Device device = granted.device();
        Instant now = clock.instant();
        Integer rotateAfter = granted.rotateAfterReadMinutes();
        // Read, expire-after-read and audit in one transaction: the record exists exactly when the
        // password was handed out.
        Reveal reveal = db.write(c -> {
            Optional<Rotation> current = rotations.current(c, device.id());
            List<Rotation> pending = rotations.pending(c, device.id());
            if (current.isEmpty() && pending.isEmpty()) {
                throw ApiException.notFound("no-password", "no password has been escrowed for this device yet");
            }
            List<PendingPassword> pendingPasswords = new ArrayList<>();
            for (Rotation r : pending) {
                pendingPasswords.add(new PendingPassword(r.id(), r.account(), opener.reveal(r), r.escrowedAt(), PENDING_NOTE));
            }
            Instant expiresAt = current.map(Rotation::expiresAt).orElse(null);
            if (current.isPresent() && rotateAfter != null) {
                Instant readExpiry = now.plus(Duration.ofMinutes(rotateAfter));
                if (expiresAt == null || readExpiry.isBefore(expiresAt)) {
                    rotations.expire(c, current.get().id(), readExpiry);
                    expiresAt = readExpiry;
                }
            }
            Instant shownExpiry = expiresAt;
            Reveal answer = current.map(r -> new Reveal(device.id(), device.hostname(), r.account(), opener.reveal(r),
                            r.id(), r.committedAt(), shownExpiry, pendingPasswords))
                    .orElseGet(() -> new Reveal(device.id(), device.hostname(), pending.get(0).account(), null, null,
                            null, null, pendingPasswords));
            auth.recordGranted(c, granted, (answer.rotationId() == null ? "pending only" : "rotation " + answer.rotationId())
                    + " account " + answer.account()
                    + (rotateAfter != null && current.isPresent() ? "; expires " + shownExpiry : ""));
            return answer;
        });
        Responses.ok(ctx, reveal);
    }

    private void history(Context ctx) {
        AuthorizedDevice granted = auth.authorize(ctx, Permission.PASSWORD_HISTORY, ctx.pathParam("id"),
                AuditActions.PASSWORD_HISTORY);
        Device device = granted.device();
        List<HistoryEntry> entries = db.write(c -> {
            List<HistoryEntry> list = new ArrayList<>();
            for (Rotation r : rotations.history(c, device.id())) {
                String password = Rotation.ABORTED.equals(r.state()) ? null : opener.reveal(r);
                list.add(new HistoryEntry(r.id(), r.account(), r.state(), r.escrowedAt(), r.committedAt(),
                        r.abortedAt(), r.expiresAt(), password));
            }
            auth.recordGranted(c, granted, list.size() + " rotations");
            return list;
        });
        Responses.ok(ctx, entries);
    }
}
