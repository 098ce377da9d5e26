package org.castellan.server.recovery;

import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.castellan.server.audit.AuditEvent;
import org.castellan.server.audit.AuditLog;
import org.castellan.server.db.Database;
import org.castellan.server.devices.Device;
import org.castellan.server.devices.DeviceStore;
import org.castellan.server.access.Permission;
import org.castellan.server.http.AuthorizedDevice;
import org.castellan.server.http.Authorizer;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.Responses;
import org.castellan.server.http.RouteTable;
import org.castellan.server.http.TextRules;
import org.castellan.server.users.Principal;

/**
 * Recovery-key reveal by device and by BitLocker key id (promise 3: every attempt, granted or
 * denied, is audited as {@code recovery-key.reveal}). All authorization goes through
 * {@link Authorizer} (permission {@code recovery-key.read}).
 */
public final class RecoveryKeyRoutes {
    static final String AUDIT_REVEAL = "recovery-key.reveal";
    static final String DEVICE_PATH = "/api/v1/devices/{id}/recovery-keys";
    static final String SEARCH_PATH = "/api/v1/recovery-keys";

    private final Database db;
    private final DeviceStore devices;
    private final RecoveryKeyStore keys;
    private final RecoveryKeyOpener opener;
    private final AuditLog audit;
    private final Authorizer auth;

    public RecoveryKeyRoutes(Database db, DeviceStore devices, RecoveryKeyStore keys, RecoveryKeyOpener opener,
                             AuditLog audit, Authorizer auth) {
        this.db = db;
        this.devices = devices;
        this.keys = keys;
        this.opener = opener;
        this.audit = audit;
        this.auth = auth;
    }

    /** A key as a reveal shows it; {@code deviceId}/{@code hostname} only in key-id lookups. */
    public record RevealedKey(String volumeId, String volumeLabel, String protectorId, String recoveryKey,
                              Instant escrowedAt, Instant removedAt) {}

    public record FoundKey(String deviceId, String hostname, String volumeId, String volumeLabel, String protectorId,
                           String recoveryKey, Instant escrowedAt, Instant removedAt) {}

    public void register(RouteTable routes) {
        routes.get(DEVICE_PATH, this::byDevice);
        routes.get(SEARCH_PATH, this::byKeyId);
    }

    private void byDevice(Context ctx) {
        AuthorizedDevice granted = auth.authorize(ctx, Permission.RECOVERY_KEY_READ, ctx.pathParam("id"), AUDIT_REVEAL);
        List<RevealedKey> revealed = new ArrayList<>();
        for (RecoveryKeyRecord k : db.read(c -> keys.all(c, granted.device().id()))) {
            revealed.add(new RevealedKey(k.volumeId(), k.volumeLabel(), k.protectorId(), opener.reveal(k),
                    k.escrowedAt(), k.removedAt()));
        }
        db.write(c -> {
            auth.recordGranted(c, granted, revealed.size() + " keys");
            return null;
        });
        Responses.ok(ctx, revealed);
    }

    /**
     * A help desk reads the first 8 digits of the key id off the BitLocker recovery screen. A short
     * prefix may match keys of several devices: each device is authorized on its own, and ones
     * the caller may not read are left out (and their denial audited).
     */
    private void byKeyId(Context ctx) {
        String prefix = KeyIds.prefix(ctx.queryParam("keyId"));
        if (prefix == null) {
            auth.authenticate(ctx);
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
        List<AuthorizedDevice> granted = auth.authorizeEach(ctx, Permission.RECOVERY_KEY_READ, candidates, AUDIT_REVEAL);
        List<FoundKey> found = new ArrayList<>();
        for (AuthorizedDevice device : granted) {
            for (RecoveryKeyRecord k : byDevice.get(device.device().id())) {
                found.add(new FoundKey(k.deviceId(), device.device().hostname(), k.volumeId(), k.volumeLabel(),
                        k.protectorId(), opener.reveal(k), k.escrowedAt(), k.removedAt()));
            }
        }
        // A search that found nothing is still on record. authenticate() records the token's last
        // use (a write of its own), so it runs before, not inside, the write below.
        Principal caller = candidates.isEmpty() ? auth.authenticate(ctx) : null;
        db.write(c -> {
            for (AuthorizedDevice device : granted) {
                auth.recordGranted(c, device, "key id " + prefix + ": " + byDevice.get(device.device().id()).size()
                        + " keys");
            }
            if (caller != null) {
                audit.append(c, new AuditEvent(caller.id(), AUDIT_REVEAL, "granted", null,
                        TextRules.reason(ctx.queryParam("reason")), auth.clientAddress(ctx), "key id " + prefix + ": no match"));
            }
            return null;
        });
        Responses.ok(ctx, found);
    }
}
