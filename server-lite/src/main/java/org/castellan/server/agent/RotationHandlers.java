package org.castellan.server.agent;

import io.javalin.http.Context;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.castellan.protocol.envelope.AssociatedData;
import org.castellan.protocol.envelope.Envelope;
import org.castellan.protocol.envelope.EnvelopeException;
import org.castellan.protocol.envelope.VaultKeyPair;
import org.castellan.protocol.messages.EscrowRequest;
import org.castellan.protocol.messages.EscrowResponse;
import org.castellan.protocol.messages.RotationOutcome;
import org.castellan.protocol.messages.RotationStateResponse;
import org.castellan.server.audit.AuditActions;
import org.castellan.server.db.Dialect;
import org.castellan.server.devices.Device;
import org.castellan.server.guard.AgentRequest;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.JsonBody;
import org.castellan.server.http.Metrics;
import org.castellan.server.http.Responses;
import org.castellan.server.http.TextRules;
import org.castellan.server.policy.Policy;
import org.castellan.server.policy.PolicyLookup;
import org.castellan.server.rotation.Rotation;
import org.castellan.server.rotation.RotationStore;
import org.castellan.server.vault.EnvelopeOpens;
import org.castellan.server.vault.Vault;

/**
 * Escrow, commit and abort of a password rotation (promise 1). An escrow is acknowledged only
 * after the envelope was test-opened and its row committed durably.
 */
public final class RotationHandlers {
    private final RotationStore rotations;
    private final PolicyLookup policies;
    private final Vault vault;
    private final Metrics metrics;
    private final Clock clock;
    private final Dialect dialect;

    public RotationHandlers(RotationStore rotations, PolicyLookup policies, Vault vault, Dialect dialect,
                            Metrics metrics, Clock clock) {
        this.rotations = rotations;
        this.dialect = dialect;
        this.policies = policies;
        this.vault = vault;
        this.metrics = metrics;
        this.clock = clock;
    }

    private record Escrowed(boolean created, String state) {}

    public void escrow(Context ctx, AgentRequest signed) {
        JsonBody.requireJsonContentType(ctx);
        EscrowRequest request = JsonBody.parse(signed.body(), EscrowRequest.class);
        String rotationId = rotationId(request.rotationId(), "rotationId");
        String account = TextRules.name(request.account(), "account", 64);
        Device device = signed.device();
        testOpen(device.id(), account, rotationId, request.envelope());
        Instant now = clock.instant();
        Escrowed escrowed = signed.write((c, audit) -> {
            lockRotations(c, device);
            // Only this device's rotations: another device's id answers like an unknown one (no oracle).
            var existing = rotations.byId(c, device.id(), rotationId);
            if (existing.isPresent()) {
                Rotation r = existing.get();
                if (!r.account().equals(account)
                        || !r.envelope().equals(request.envelope())) {
                    throw ApiException.conflict("rotation-conflict",
                            "rotation " + rotationId + " was already escrowed with a different password");
                }
                return new Escrowed(false, r.state());
            }
            rotations.insertPending(c, new Rotation(rotationId, device.id(), account, Rotation.PENDING,
                    request.envelope(), now, null, null, null, null));
            audit.ok(AuditActions.ROTATION_ESCROW, "rotation " + rotationId + " account " + account);
            return new Escrowed(true, Rotation.PENDING);
        });
        if (escrowed.created()) {
            metrics.escrowed();
            metrics.rotation("escrowed");
        }
        Responses.json(ctx, escrowed.created() ? 201 : 200, new EscrowResponse(rotationId, escrowed.state()));
    }

    public void commit(Context ctx, AgentRequest signed) {
        String detail = detail(signed.body(), ctx);
        String rotationId = rotationId(ctx.pathParam("rotationId"), "rotationId");
        Device device = signed.device();
        Instant now = clock.instant();
        boolean committed = signed.write((c, audit) -> {
            lockRotations(c, device);
            Rotation r = owned(rotations.byId(c, device.id(), rotationId).orElse(null), device);
            if (Rotation.ABORTED.equals(r.state())) {
                throw ApiException.conflict("rotation-aborted", "rotation " + rotationId + " was aborted");
            }
            if (r.committedAt() == null && Rotation.SUPERSEDED.equals(r.state())) {
                throw ApiException.conflict("rotation-superseded",
                        "rotation " + rotationId + " was overtaken by a later committed rotation");
            }
            if (r.committedAt() == null) {
                Policy policy = policies.forDevice(c, device);
                rotations.commit(c, r, now, now.plus(Duration.ofDays(policy.maxAgeDays())));
                audit.ok(AuditActions.ROTATION_COMMIT, "rotation " + rotationId + (detail == null ? "" : ": " + detail));
                return true;
            }
            return false;
        });
        if (committed) {
            metrics.rotation("committed");
        }
        Responses.ok(ctx, new RotationStateResponse(rotationId, Rotation.COMMITTED));
    }

    public void abort(Context ctx, AgentRequest signed) {
        String detail = detail(signed.body(), ctx);
        String rotationId = rotationId(ctx.pathParam("rotationId"), "rotationId");
        Device device = signed.device();
        Instant now = clock.instant();
        boolean aborted = signed.write((c, audit) -> {
            lockRotations(c, device);
            Rotation r = owned(rotations.byId(c, device.id(), rotationId).orElse(null), device);
            if (r.committedAt() != null) {
                throw ApiException.conflict("rotation-committed", "rotation " + rotationId + " was already committed");
            }
            if (!Rotation.ABORTED.equals(r.state())) {
                rotations.abort(c, device.id(), rotationId, now, detail);
                audit.ok(AuditActions.ROTATION_ABORT, "rotation " + rotationId + (detail == null ? "" : ": " + detail));
                return true;
            }
            return false;
        });
        if (aborted) {
            metrics.rotation("aborted");
        }
        Responses.ok(ctx, new RotationStateResponse(rotationId, Rotation.ABORTED));
    }

    /**
     * Takes the device's rotation lock for the rest of the write, before it reads the rotation it
     * decides on. Each escrow, commit and abort reads a rotation's state and then writes from it;
     * on SQLite the one writer runs them one at a time, but on PostgreSQL two of one device on any
     * nodes (an agent's retry on another node while the first try still runs) could both read
     * before either wrote: the second escrow's insert then failed on the primary key (503 to a
     * retry that should find its rotation), an abort overwrote a commit made in between, and an
     * older rotation's commit could supersede a newer committed one. Held, the second reads what
     * the first committed and answers as it would one after the other.
     */
    private void lockRotations(Connection c, Device device) throws SQLException {
        dialect.lockForTransaction(c, lockKey(device.id()));
    }

    /** The lock a device's rotation writes (escrow, commit, abort) hold for the rest of their write. */
    static String lockKey(String deviceId) {
        return "rotations:" + deviceId;
    }

    /** Opens the envelope once before acknowledging, so an escrow that could never be revealed is refused. */
    private void testOpen(String deviceId, String account, String rotationId, Envelope envelope) {
        if (envelope == null) {
            throw ApiException.badRequest("bad-envelope", "field 'envelope' is required");
        }
        VaultKeyPair key = vault.key(envelope.keyId()).orElseThrow(() ->
                ApiException.badRequest("bad-envelope", "envelope is sealed to an unknown vault key"));
        try {
            byte[] plaintext = EnvelopeOpens.open(key, AssociatedData.forPassword(deviceId, account, rotationId), envelope);
            Arrays.fill(plaintext, (byte) 0);
        } catch (EnvelopeException e) {
            throw ApiException.badRequest("bad-envelope",
                    "envelope does not open for this device, account and rotation with the vault key");
        }
    }

    private static Rotation owned(Rotation r, Device device) {
        if (r == null || !r.deviceId().equals(device.id())) {
            throw ApiException.notFound("unknown-rotation", "this device has no rotation with that id");
        }
        return r;
    }

    private static String detail(byte[] body, Context ctx) {
        if (body.length == 0) {
            return null;
        }
        JsonBody.requireJsonContentType(ctx);
        RotationOutcome outcome = JsonBody.parse(body, RotationOutcome.class);
        return TextRules.optional(outcome.detail(), "detail", 500);
    }

    private static final java.util.regex.Pattern UUID_TEXT = java.util.regex.Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** Kept exactly as sent: the envelope's associated data binds this very string. */
    private static String rotationId(String value, String field) {
        return value != null && UUID_TEXT.matcher(value).matches() ? value : invalidUuid(field);
    }

    private static String invalidUuid(String field) {
        throw ApiException.badRequest("invalid-" + field, "field '" + field + "' must be a UUID");
    }
}
