package org.castellan.server.admin;

import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

    /** What one reveal's transaction found and put on record: the envelopes are opened after it. */
    private record Found(Optional<Rotation> current, List<Rotation> pending, Instant shownExpiry) {}

    /**
     * The reveal itself, shared by the API and the console; the caller wipes what it returns.
     * The envelopes are opened only once the read is on record (its audit row committed durably),
     * on this request's thread: not inside the transaction, which on SQLite runs on the one writer
     * thread every write of the server waits for (an HPKE open there held them all up; {@link Reveals}).
     */
    public PasswordReveal open(DeviceGrant grant) {
        Device device = grant.device();
        Instant now = clock.instant();
        Integer rotateAfter = grant.rotateAfterReadMinutes();
        // Read, expire-after-read and audit in one transaction: the record exists exactly when the
        // password is handed out.
        Found found = grant.use(c -> {
            Optional<Rotation> current = rotations.current(c, device.id());
            List<Rotation> pending = rotations.pending(c, device.id());
            if (current.isEmpty() && pending.isEmpty()) {
                throw ApiException.notFound("no-password", "no password has been escrowed for this device yet");
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
            String account = current.map(Rotation::account).orElseGet(() -> pending.get(0).account());
            return Audited.of(new Found(current, pending, expiresAt),
                    current.map(r -> "rotation " + r.id()).orElse("pending only") + " account " + account
                    + (rotateAfter != null && current.isPresent() ? "; expires " + expiresAt : ""));
        });
        List<PasswordReveal.Pending> pendingPasswords = Reveals.openEach(found.pending(),
                r -> new PasswordReveal.Pending(r.id(), r.account(), opener.open(r), r.escrowedAt(), PENDING_NOTE),
                p -> p.password().close());
        Secret password;
        try {
            password = found.current().map(opener::open).orElse(null);
        } catch (RuntimeException e) {
            pendingPasswords.forEach(p -> p.password().close());
            throw e;
        }
        return found.current().map(r -> new PasswordReveal(device.id(), device.hostname(), r.account(), password, r.id(),
                        r.committedAt(), found.shownExpiry(), pendingPasswords))
                .orElseGet(() -> new PasswordReveal(device.id(), device.hostname(), found.pending().get(0).account(),
                        null, null, null, null, pendingPasswords));
    }

    public void history(Context ctx, DeviceGrant grant) {
        List<PasswordHistoryEntry> entries = openHistory(grant);
        try {
            Responses.ok(ctx, entries);
        } finally {
            entries.forEach(PasswordHistoryEntry::wipe);
        }
    }

    /**
     * The device's rotations with their passwords, the read on record; shared by the API and the
     * console (the caller wipes). Opened after the audited read commits ({@link Reveals}), as {@link #open}.
     */
    public List<PasswordHistoryEntry> openHistory(DeviceGrant grant) {
        Device device = grant.device();
        List<Rotation> history = grant.use(c -> {
            List<Rotation> found = rotations.history(c, device.id());
            return Audited.of(found, found.size() + " rotations");
        });
        return Reveals.openEach(history, r -> {
            Secret password = Rotation.ABORTED.equals(r.state()) ? null : opener.open(r);
            return new PasswordHistoryEntry(r.id(), r.account(), r.state(), r.escrowedAt(), r.committedAt(),
                    r.abortedAt(), r.expiresAt(), password);
        }, PasswordHistoryEntry::wipe);
    }
}
