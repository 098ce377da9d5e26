package org.castellan.server.agent;

import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.castellan.protocol.messages.LuksKeyEscrowRequest;
import org.castellan.protocol.messages.LuksKeyRef;
import org.castellan.protocol.messages.LuksKeyState;
import org.castellan.server.audit.AuditActions;
import org.castellan.server.db.Dialect;
import org.castellan.server.guard.AgentRequest;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.JsonBody;
import org.castellan.server.http.Responses;
import org.castellan.server.http.TextRules;
import org.castellan.server.recovery.RecoveryKeyOpener;
import org.castellan.server.recovery.RecoveryKeyRecord;
import org.castellan.server.recovery.RecoveryKeyStore;

/**
 * The LUKS key lifecycle, one key at a time (promise 1): {@code POST luks-keys} stores the sealed
 * passphrase as pending before the agent adds its slot; {@code commit} once the slot was added and
 * test-opened; {@code retire} once the slot is gone (replaced, or removed by a recovering agent).
 * Each is idempotent, so an agent that lost an answer can repeat the call. A repeated escrow is
 * told from a clashing one by comparing the key held with the one sent, opened outside the write
 * ({@link SameKeys}).
 */
public final class LuksKeyHandlers {
    private static final int MAX_ID = 200;

    private final RecoveryKeyStore keys;
    private final RecoveryKeyOpener opener;
    private final Dialect dialect;
    private final Clock clock;

    public LuksKeyHandlers(RecoveryKeyStore keys, RecoveryKeyOpener opener, Dialect dialect, Clock clock) {
        this.keys = keys;
        this.opener = opener;
        this.dialect = dialect;
        this.clock = clock;
    }

    public void escrow(Context ctx, AgentRequest signed) {
        JsonBody.requireJsonContentType(ctx);
        LuksKeyEscrowRequest request = JsonBody.parse(signed.body(), LuksKeyEscrowRequest.class);
        String volumeId = id(request.volumeId(), "volumeId");
        String protectorId = id(request.protectorId(), "protectorId");
        String label = request.volumeLabel() == null ? null : id(request.volumeLabel(), "volumeLabel");
        String deviceId = signed.device().id();
        byte[] plaintext = opener.testOpen(deviceId, volumeId, protectorId, request.envelope(), 0);
        try {
            Instant now = clock.instant();
            // A key already held under this protector is opened and compared before the write, not in it (SameKeys).
            LuksKeyState state = SameKeys.write(signed, opener, dialect, c -> keys.byProtector(c, deviceId, protectorId)
                    .filter(held -> held.luks() && held.volumeId().equals(volumeId))
                    .map(held -> List.of(new SameKeys.Candidate(held, plaintext)))
                    .orElse(List.of()), (c, audit, verdicts) -> {
                Optional<RecoveryKeyRecord> existing = keys.byProtector(c, deviceId, protectorId);
                if (existing.isPresent()) {
                    RecoveryKeyRecord held = existing.get();
                    if (!held.luks() || !held.volumeId().equals(volumeId) || !verdicts.same(held)) {
                        throw ApiException.conflict("luks-key-conflict",
                                "protector " + protectorId + " is already held with another key or volume");
                    }
                    if (!held.current()) {
                        // Its slot is gone (or never came): the agent must not add a slot for it now.
                        throw ApiException.conflict("luks-key-retired", "LUKS key " + protectorId + " was retired");
                    }
                    return state(held); // a repeated call: the first one was stored
                }
                keys.insert(c, new RecoveryKeyRecord(UUID.randomUUID().toString(), deviceId, volumeId, label,
                        protectorId, request.envelope(), now, null, RecoveryKeyRecord.LUKS, true));
                audit.ok(AuditActions.LUKS_KEY_ESCROW, "pending LUKS key " + protectorId + " of volume " + volumeId);
                return new LuksKeyState(volumeId, protectorId, "pending");
            });
            Responses.ok(ctx, state);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    public void commit(Context ctx, AgentRequest signed) {
        LuksKeyRef ref = ref(ctx, signed);
        String deviceId = signed.device().id();
        LuksKeyState state = signed.write((c, audit) -> {
            RecoveryKeyRecord held = held(c, deviceId, ref);
            if (!held.current()) {
                throw ApiException.conflict("luks-key-retired", "LUKS key " + ref.protectorId() + " was retired");
            }
            if (held.pending()) {
                keys.commit(c, held.id());
                audit.ok(AuditActions.LUKS_KEY_COMMIT, "LUKS key " + ref.protectorId() + " of volume " + ref.volumeId());
            }
            return new LuksKeyState(ref.volumeId(), ref.protectorId(), "committed");
        });
        Responses.ok(ctx, state);
    }

    public void retire(Context ctx, AgentRequest signed) {
        LuksKeyRef ref = ref(ctx, signed);
        String deviceId = signed.device().id();
        Instant now = clock.instant();
        LuksKeyState state = signed.write((c, audit) -> {
            RecoveryKeyRecord held = held(c, deviceId, ref);
            if (held.current()) {
                keys.markRemoved(c, held.id(), now);
                audit.ok(AuditActions.LUKS_KEY_RETIRE, (held.pending() ? "pending " : "") + "LUKS key "
                        + ref.protectorId() + " of volume " + ref.volumeId());
            }
            return new LuksKeyState(ref.volumeId(), ref.protectorId(), "retired");
        });
        Responses.ok(ctx, state);
    }

    private LuksKeyRef ref(Context ctx, AgentRequest signed) {
        JsonBody.requireJsonContentType(ctx);
        LuksKeyRef ref = JsonBody.parse(signed.body(), LuksKeyRef.class);
        return new LuksKeyRef(id(ref.volumeId(), "volumeId"), id(ref.protectorId(), "protectorId"));
    }

    private RecoveryKeyRecord held(java.sql.Connection c, String deviceId, LuksKeyRef ref) throws java.sql.SQLException {
        return keys.byProtector(c, deviceId, ref.protectorId())
                .filter(k -> k.luks() && k.volumeId().equals(ref.volumeId()))
                .orElseThrow(() -> ApiException.notFound("luks-key-not-found",
                        "no LUKS key " + ref.protectorId() + " of volume " + ref.volumeId() + " for this device"));
    }

    private static LuksKeyState state(RecoveryKeyRecord k) {
        return new LuksKeyState(k.volumeId(), k.protectorId(), k.pending() ? "pending" : "committed");
    }

    private static String id(String value, String field) {
        if (value == null || value.isBlank() || value.length() > MAX_ID || TextRules.hasControlCharacters(value)) {
            throw ApiException.badRequest("invalid-" + field,
                    "field '" + field + "' must be 1-" + MAX_ID + " characters without control characters");
        }
        return value;
    }
}
