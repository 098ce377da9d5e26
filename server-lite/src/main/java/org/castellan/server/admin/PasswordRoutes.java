package org.castellan.server.admin;

import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.castellan.server.devices.Device;
import org.castellan.server.guard.Audited;
import org.castellan.server.guard.DeviceGrant;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.Responses;
import org.castellan.server.rotation.PasswordOpener;
import org.castellan.server.rotation.Rotation;
import org.castellan.server.rotation.RotationStore;

/**
 * Password reveal and history (promise 3: every attempt, granted or denied, is audited before
 * anything is returned; the permission guard records refusals, {@link DeviceGrant#use} the grant).
 * The reveal shows the current (latest committed) password and every pending one, since the agent
 * may have set a pending password before it could commit (promise 1).
 */
public final class PasswordRoutes {
    static final String PENDING_NOTE = "may be in use: escrowed but not confirmed by the device";
    private final RotationStore rotations;
    private final PasswordOpener opener;
    private final Clock clock;

    public PasswordRoutes(RotationStore rotations, PasswordOpener opener, Clock clock) {
        this.rotations = rotations;
        this.opener = opener;
        this.clock = clock;
    }

    public record PendingPassword(String rotationId, String account, String password, Instant escrowedAt, String note) {}

    public record Reveal(String deviceId, String hostname, String account, String password, String rotationId,
                         Instant rotatedAt, Instant expiresAt, List<PendingPassword> pending) {}

    public record HistoryEntry(String rotationId, String account, String state, Instant escrowedAt,
                               Instant committedAt, Instant abortedAt, Instant expiresAt, String password) {}

    public void reveal(Context ctx, DeviceGrant grant) {
        Device device = grant.device();
        Instant now = clock.instant();
        Integer rotateAfter = grant.rotateAfterReadMinutes();
        // Read, expire-after-read and audit in one transaction: the record exists exactly when the
        // password was handed out.
        Reveal reveal = grant.use(c -> {
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
            return Audited.of(answer, (answer.rotationId() == null ? "pending only" : "rotation " + answer.rotationId())
                    + " account " + answer.account()
                    + (rotateAfter != null && current.isPresent() ? "; expires " + shownExpiry : ""));
        });
        Responses.ok(ctx, reveal);
    }

    public void history(Context ctx, DeviceGrant grant) {
        Device device = grant.device();
        List<HistoryEntry> entries = grant.use(c -> {
            List<HistoryEntry> list = new ArrayList<>();
            for (Rotation r : rotations.history(c, device.id())) {
                String password = Rotation.ABORTED.equals(r.state()) ? null : opener.reveal(r);
                list.add(new HistoryEntry(r.id(), r.account(), r.state(), r.escrowedAt(), r.committedAt(),
                        r.abortedAt(), r.expiresAt(), password));
            }
            return Audited.of(list, list.size() + " rotations");
        });
        Responses.ok(ctx, entries);
    }
}
