package org.castellan.server.admin;

import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.castellan.api.RecoveryKey;
import org.castellan.server.db.Database;
import org.castellan.server.devices.Device;
import org.castellan.server.devices.DeviceStore;
import org.castellan.server.guard.Audited;
import org.castellan.server.guard.DeviceGrant;
import org.castellan.server.guard.DeviceSearch;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.Responses;
import org.castellan.server.recovery.KeyIds;
import org.castellan.server.recovery.RecoveryKeyOpener;
import org.castellan.server.recovery.RecoveryKeyRecord;
import org.castellan.server.recovery.RecoveryKeyStore;

/**
 * Recovery-key reveal by device and by BitLocker key id (promise 3: every attempt, granted or
 * denied, is audited as {@code recovery-key.reveal}), guarded by permission {@code recovery-key.read}.
 * As for passwords, no envelope is opened before the read is on record, nor inside its
 * transaction ({@link Reveals}).
 */
public final class RecoveryKeyRoutes {
    private final Database db;
    private final DeviceStore devices;
    private final RecoveryKeyStore keys;
    private final RecoveryKeyOpener opener;
    private final Clock clock;

    public RecoveryKeyRoutes(Database db, DeviceStore devices, RecoveryKeyStore keys, RecoveryKeyOpener opener,
                             Clock clock) {
        this.db = db;
        this.clock = clock;
        this.devices = devices;
        this.keys = keys;
        this.opener = opener;
    }

    /**
     * {@code POST /api/v1/devices/{id}/recovery-keys/purge} (admin, {@code {"reason"}} required):
     * deletes the device's keys of removed volumes now; its current keys are never purged here.
     */
    public void purgeRemoved(Context ctx, org.castellan.server.guard.Caller admin) {
        String id = ctx.pathParam("id");
        String reason = org.castellan.server.http.TextRules.requiredReason(
                org.castellan.server.http.JsonBody.read(ctx, DeviceRoutes.PurgeRequest.class).reason());
        org.castellan.api.Purged purged = admin.act(org.castellan.server.audit.AuditActions.RECOVERY_KEY_PURGE, id,
                reason, c -> {
                    devices.byId(c, id).orElseThrow(() -> ApiException.notFound("device-not-found", "no device with that id"));
                    int deleted = keys.purgeRemoved(c, id, null);
                    org.castellan.api.Purged result = new org.castellan.api.Purged(id, false, 0, deleted);
                    return deleted == 0 ? Audited.unchanged(result)
                            : Audited.of(result, deleted + " recovery keys of removed volumes deleted by an administrator");
                });
        Responses.ok(ctx, purged);
    }

    public void byDevice(Context ctx, DeviceGrant grant) {
        List<RecoveryKey> revealed = open(grant);
        try {
            Responses.ok(ctx, revealed);
        } finally {
            revealed.forEach(RecoveryKey::wipe);
        }
    }

    /**
     * Every key of the grant's device, the read on record; shared by the API and the console (the
     * caller wipes). Read, rotate-after-read and audit in one transaction, as a password reveal:
     * the record exists exactly when the keys are handed out, and the envelopes are opened only
     * after it has committed durably, on this request's thread ({@link Reveals}).
     */
    public List<RecoveryKey> open(DeviceGrant grant) {
        String deviceId = grant.device().id();
        Integer rotateAfter = grant.rotateAfterReadMinutes();
        List<RecoveryKeyRecord> all = grant.use(c -> {
            List<RecoveryKeyRecord> found = keys.all(c, deviceId);
            // Castellan-held LUKS keys are replaced after a read, as passwords are.
            boolean rotates = rotateAfter != null && found.stream().anyMatch(k -> k.luks() && k.current());
            if (rotates) {
                keys.requestRotation(c, deviceId, clock.instant().plus(Duration.ofMinutes(rotateAfter)));
            }
            return Audited.of(found, found.size() + " keys"
                    + (rotates ? "; LUKS keys rotate after " + rotateAfter + " min" : ""));
        });
        return Reveals.openEach(all, k -> RecoveryKey.onDevice(k.volumeId(), k.volumeLabel(), k.protectorId(),
                opener.open(k), k.escrowedAt(), k.removedAt()).withKind(k.kind(), k.pending()), RecoveryKey::wipe);
    }

    /**
     * A help desk reads the first 8 digits of the key id off the BitLocker recovery screen. A short
     * prefix may match keys of several devices: each device is authorized on its own, and ones
     * the caller may not read are left out (and their denial audited).
     */
    public void byKeyId(Context ctx, DeviceSearch search) {
        List<RecoveryKey> found = find(search, ctx.queryParam("keyId"));
        try {
            Responses.ok(ctx, found);
        } finally {
            found.forEach(RecoveryKey::wipe);
        }
    }

    /**
     * The look-up by key id itself, the reads on record; shared by the API and the console (the
     * caller wipes). The matching keys are read first, since they name the devices to authorize;
     * their envelopes are opened once every grant is recorded ({@link Reveals}).
     */
    public List<RecoveryKey> find(DeviceSearch search, String keyId) {
        String prefix = KeyIds.prefix(keyId);
        if (prefix == null) {
            throw ApiException.badRequest("invalid-keyId",
                    "keyId must be at least the first 8 hex digits of the protector id (braces, hyphens and case ignored)");
        }
        Map<String, List<RecoveryKeyRecord>> byDevice = new LinkedHashMap<>();
        for (RecoveryKeyRecord k : db.read(c -> keys.byKeyIdPrefix(c, prefix))) {
            byDevice.computeIfAbsent(k.deviceId(), id -> new ArrayList<>()).add(k);
        }
        List<Device> candidates = new ArrayList<>();
        for (String deviceId : byDevice.keySet()) {
            db.read(c -> devices.byId(c, deviceId)).ifPresent(candidates::add);
        }
        List<DeviceGrant> granted = search.permitted(candidates);
        // A search that found nothing is on record too.
        search.record(granted, device -> "key id " + prefix + ": " + byDevice.get(device.id()).size() + " keys",
                candidates.isEmpty() ? "key id " + prefix + ": no match" : null);
        Map<String, String> hostnames = new LinkedHashMap<>();
        List<RecoveryKeyRecord> shown = new ArrayList<>();
        for (DeviceGrant grant : granted) {
            hostnames.put(grant.device().id(), grant.device().hostname());
            shown.addAll(byDevice.get(grant.device().id()));
        }
        return Reveals.openEach(shown, k -> new RecoveryKey(k.deviceId(), hostnames.get(k.deviceId()), k.volumeId(),
                k.volumeLabel(), k.protectorId(), opener.open(k), k.escrowedAt(), k.removedAt())
                .withKind(k.kind(), k.pending()), RecoveryKey::wipe);
    }
}
