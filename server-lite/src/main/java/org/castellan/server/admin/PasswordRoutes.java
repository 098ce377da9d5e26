package org.castellan.server.admin;

import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.castellan.api.PasswordHistoryEntry;
import org.castellan.api.PasswordReveal;
import org.castellan.protocol.Secret;
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

    public void reveal(Context ctx, DeviceGrant grant) {
        PasswordReveal reveal = open(grant);
        try {
            Responses.ok(ctx, reveal);
        } finally {
            reveal.wipe();
        }
    }

    /** The reveal itself, shared by the API and the console; the caller wipes what it returns. */
    public PasswordReveal open(DeviceGrant grant) {
        Device device = grant.device();
        Instant now = clock.instant();
        Integer rotateAfter = grant.rotateAfterReadMinutes();
        // Read, expire-after-read and audit in one transaction: the record exists exactly when the
        // password was handed out.
        return grant.use(c -> {
            Optional<Rotation> current = rotations.current(c, device.id());
            List<Rotation> pending = rotations.pending(c, device.id());
            if (current.isEmpty() && pending.isEmpty()) {
                throw ApiException.notFound("no-password", "no password has been escrowed for this device yet");
            }
            List<PasswordReveal.Pending> pendingPasswords = new ArrayList<>();
            for (Rotation r : pending) {
                pendingPasswords.add(new PasswordReveal.Pending(r.id(), r.account(), opener.open(r), r.escrowedAt(),
                        PENDING_NOTE));
            }
            Instant expiresAt = current.map(Rotation::expiresAt).orElse(null);
            if (current.isPresent()) {
                rotations.markRead(c, device.id(), current.get().id(), now);
            }
            if (current.isPresent() && rotateAfter != null) {
                Instant readExpiry = now.plus(Duration.ofMinutes(rotateAfter));
                if (expiresAt == null || readExpiry.isBefore(expiresAt)) {
                    rotations.expire(c, current.get().deviceId(), current.get().id(), readExpiry);
                    expiresAt = readExpiry;
                }
            }
            Instant shownExpiry = expiresAt;
            PasswordReveal answer = current.map(r -> new PasswordReveal(device.id(), device.hostname(), r.account(),
                            opener.open(r), r.id(), r.committedAt(), shownExpiry, pendingPasswords))
                    .orElseGet(() -> new PasswordReveal(device.id(), device.hostname(), pending.get(0).account(), null,
                            null, null, null, pendingPasswords));
            return Audited.of(answer, (answer.rotationId() == null ? "pending only" : "rotation " + answer.rotationId())
                    + " account " + answer.account()
                    + (rotateAfter != null && current.isPresent() ? "; expires " + shownExpiry : ""));
        });
    }

    public void history(Context ctx, DeviceGrant grant) {
        List<PasswordHistoryEntry> entries = openHistory(grant);
        try {
            Responses.ok(ctx, entries);
        } finally {
            entries.forEach(PasswordHistoryEntry::wipe);
        }
    }

    /** The device's rotations with their passwords, the read on record; shared by the API and the console (the caller wipes). */
    public List<PasswordHistoryEntry> openHistory(DeviceGrant grant) {
        Device device = grant.device();
        return grant.use(c -> {
            List<PasswordHistoryEntry> list = new ArrayList<>();
            for (Rotation r : rotations.history(c, device.id())) {
                Secret password = Rotation.ABORTED.equals(r.state()) ? null : opener.open(r);
                list.add(new PasswordHistoryEntry(r.id(), r.account(), r.state(), r.escrowedAt(), r.committedAt(),
                        r.abortedAt(), r.expiresAt(), password));
            }
            return Audited.of(list, list.size() + " rotations");
        });
    }
}
