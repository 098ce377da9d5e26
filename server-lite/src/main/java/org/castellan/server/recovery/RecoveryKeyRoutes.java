package org.castellan.server.recovery;

import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * Recovery-key reveal by device and by BitLocker key id (promise 3: every attempt, granted or
 * denied, is audited as {@code recovery-key.reveal}). All authorization goes through
 * {@link #authorizeRecoveryRead}.
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
    private final AdminAuth auth;
    private final Metrics metrics;

    public RecoveryKeyRoutes(Database db, DeviceStore devices, RecoveryKeyStore keys, RecoveryKeyOpener opener,
                             AuditLog audit, AdminAuth auth, Metrics metrics) {
        this.db = db;
        this.devices = devices;
        this.keys = keys;
        this.opener = opener;
        this.audit = audit;
        this.auth = auth;
        this.metrics = metrics;
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
        String deviceId = ctx.pathParam("id");
        Principal principal = authorizeRecoveryRead(ctx, deviceId);
        String reason = TextRules.reason(ctx.queryParam("reason"));
        Device device = db.read(c -> devices.byId(c, deviceId)).orElseThrow(() ->
                ApiException.notFound("device-not-found", "no device with that id"));
        List<RevealedKey> revealed = new ArrayList<>();
        for (RecoveryKeyRecord k : db.read(c -> keys.all(c, device.id()))) {
            revealed.add(new RevealedKey(k.volumeId(), k.volumeLabel(), k.protectorId(), opener.reveal(k),
                    k.escrowedAt(), k.removedAt()));
        }
        auditGranted(ctx, principal, device.id(), reason, revealed.size() + " keys");
        Responses.ok(ctx, revealed);
    }

    private void byKeyId(Context ctx) {
        Principal caller = authorizeRecoveryRead(ctx, null);
        String reason = TextRules.reason(ctx.queryParam("reason"));
        String prefix = KeyIds.prefix(ctx.queryParam("keyId"));
        if (prefix == null) {
            throw ApiException.badRequest("invalid-keyId",
                    "keyId must be at least the first 8 hex digits of the protector id (braces, hyphens and case ignored)");
        }
        Map<String, List<RecoveryKeyRecord>> byDevice = new LinkedHashMap<>();
        for (RecoveryKeyRecord k : db.read(c -> keys.byKeyIdPrefix(c, prefix))) {
            byDevice.computeIfAbsent(k.deviceId(), id -> new ArrayList<>()).add(k);
        }
        List<FoundKey> found = new ArrayList<>();
        for (Map.Entry<String, List<RecoveryKeyRecord>> entry : byDevice.entrySet()) {
            Principal principal;
            try {
                principal = authorizeRecoveryRead(ctx, entry.getKey());
            } catch (ApiException e) {
                if (e.status() == 403) {
                    continue; // left out; the denial is already on record
                }
                throw e;
            }
            Optional<Device> device = db.read(c -> devices.byId(c, entry.getKey()));
            String hostname = device.map(Device::hostname).orElse(null);
            for (RecoveryKeyRecord k : entry.getValue()) {
                found.add(new FoundKey(k.deviceId(), hostname, k.volumeId(), k.volumeLabel(), k.protectorId(),
                        opener.reveal(k), k.escrowedAt(), k.removedAt()));
            }
            auditGranted(ctx, principal, entry.getKey(), reason,
                    "key id " + prefix + ": " + entry.getValue().size() + " keys");
        }
        if (byDevice.isEmpty()) {
            auditGranted(ctx, caller, null, reason, "key id " + prefix + ": no match");
        }
        Responses.ok(ctx, found);
    }

    /**
     * The one place that decides whether the caller may read recovery keys of {@code deviceId}
     * (null: may search at all). For now any valid admin token may; a refusal is audited as
     * denied before it is thrown. To be replaced by
     * {@code Authorizer.authorize(ctx, Permission.RECOVERY_KEY_READ, deviceId, "recovery-key.reveal")},
     * which may also throw 403 {@code forbidden} (callers leave such devices out of a key-id lookup).
     */
    private Principal authorizeRecoveryRead(Context ctx, String deviceId) {
        Optional<Principal> principal = auth.authenticate(ctx);
        if (principal.isPresent()) {
            return principal.get();
        }
        String recordedId = deviceId != null && deviceId.matches("[A-Za-z0-9-]{1,64}") ? deviceId : null;
        db.write(c -> {
            audit.append(c, new AuditEvent("anonymous", AUDIT_REVEAL, "denied", recordedId, null, Clients.address(ctx),
                    "missing, unknown, revoked or expired API token"));
            return null;
        });
        metrics.reveal(false);
        throw AdminAuth.unauthorized();
    }

    private void auditGranted(Context ctx, Principal principal, String deviceId, String reason, String detail) {
        db.write(c -> {
            audit.append(c, new AuditEvent(principal.id(), AUDIT_REVEAL, "granted", deviceId, reason,
                    Clients.address(ctx), detail));
            return null;
        });
        metrics.reveal(true);
    }
}
