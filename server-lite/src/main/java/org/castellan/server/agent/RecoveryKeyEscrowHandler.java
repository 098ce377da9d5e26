package org.castellan.server.agent;

import io.javalin.http.Context;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.castellan.protocol.messages.EscrowedRecoveryKey;
import org.castellan.protocol.messages.RecoveryKeyEscrowRequest;
import org.castellan.protocol.messages.RecoveryKeyEscrowResponse;
import org.castellan.server.audit.AuditActions;
import org.castellan.server.db.Dialect;
import org.castellan.server.guard.AgentRequest;
import org.castellan.server.http.JsonBody;
import org.castellan.server.http.Responses;
import org.castellan.server.recovery.EscrowInput;
import org.castellan.server.recovery.RecoveryKeyOpener;
import org.castellan.server.recovery.RecoveryKeyRecord;
import org.castellan.server.recovery.RecoveryKeyStore;

/**
 * {@code POST /api/v1/agent/recovery-keys}: the device's full current set of recovery keys. Every
 * envelope is test-opened before anything is written, and the stored keys under the same (volume,
 * protector) opened and compared with them, outside the write ({@link SameKeys}); then, in one
 * transaction, new (volume, protector) keys are stored, identical ones left alone, and current keys
 * missing from the set marked removed (kept for history).
 */
public final class RecoveryKeyEscrowHandler {
    private final RecoveryKeyStore keys;
    private final RecoveryKeyOpener opener;
    private final Dialect dialect;
    private final Clock clock;

    public RecoveryKeyEscrowHandler(RecoveryKeyStore keys, RecoveryKeyOpener opener, Dialect dialect, Clock clock) {
        this.keys = keys;
        this.opener = opener;
        this.dialect = dialect;
        this.clock = clock;
    }

    private record Outcome(int stored, int unchanged, int removed) {}

    public void handle(Context ctx, AgentRequest signed) {
        JsonBody.requireJsonContentType(ctx);
        RecoveryKeyEscrowRequest request = JsonBody.parse(signed.body(), RecoveryKeyEscrowRequest.class);
        List<EscrowedRecoveryKey> sent = EscrowInput.keys(request);
        List<String> unprotected = EscrowInput.unprotectedVolumes(request);
        String deviceId = signed.device().id();
        List<byte[]> plaintexts = new ArrayList<>();
        try {
            for (int i = 0; i < sent.size(); i++) {
                EscrowedRecoveryKey k = sent.get(i);
                plaintexts.add(opener.testOpen(deviceId, k.volumeId(), k.protectorId(), k.envelope(), i));
            }
            Instant now = clock.instant();
            // The stored keys a sent one is compared with are opened before the write, not in it (SameKeys).
            Outcome outcome = SameKeys.write(signed, opener, dialect, c -> {
                Map<List<String>, RecoveryKeyRecord> held = held(c, deviceId);
                List<SameKeys.Candidate> candidates = new ArrayList<>();
                for (int i = 0; i < sent.size(); i++) {
                    RecoveryKeyRecord existing = held.get(List.of(sent.get(i).volumeId(), sent.get(i).protectorId()));
                    if (existing != null) {
                        candidates.add(new SameKeys.Candidate(existing, plaintexts.get(i)));
                    }
                }
                return candidates;
            }, (c, audit, verdicts) -> {
                Map<List<String>, RecoveryKeyRecord> held = held(c, deviceId);
                int stored = 0;
                int unchanged = 0;
                int removed = 0;
                for (EscrowedRecoveryKey k : sent) {
                    RecoveryKeyRecord existing = held.remove(List.of(k.volumeId(), k.protectorId()));
                    if (existing != null && verdicts.same(existing)) {
                        if (k.volumeLabel() != null && !k.volumeLabel().equals(existing.volumeLabel())) {
                            keys.updateLabel(c, existing.id(), k.volumeLabel());
                        }
                        unchanged++;
                        continue;
                    }
                    if (existing != null) {
                        // Same protector, new secret (FileVault re-keys under one protector id):
                        // the old one goes to history.
                        keys.markRemoved(c, existing.id(), now);
                        removed++;
                    }
                    keys.insert(c, new RecoveryKeyRecord(UUID.randomUUID().toString(), deviceId, k.volumeId(),
                            k.volumeLabel(), k.protectorId(), k.envelope(), now, null));
                    stored++;
                }
                for (RecoveryKeyRecord gone : held.values()) {
                    keys.markRemoved(c, gone.id(), now);
                    removed++;
                }
                keys.setUnprotectedVolumes(c, deviceId, unprotected, now);
                audit.ok(AuditActions.RECOVERY_KEY_ESCROW, "stored " + stored + ", unchanged " + unchanged
                        + ", removed " + removed + ", unprotected volumes " + unprotected.size());
                return new Outcome(stored, unchanged, removed);
            });
            Responses.ok(ctx, new RecoveryKeyEscrowResponse(outcome.stored(), outcome.unchanged()));
        } finally {
            plaintexts.forEach(p -> Arrays.fill(p, (byte) 0));
        }
    }

    /** The device's current scanned keys by (volume, protector); LUKS keys are managed one by one (LuksKeyHandlers). */
    private Map<List<String>, RecoveryKeyRecord> held(Connection c, String deviceId) throws SQLException {
        Map<List<String>, RecoveryKeyRecord> held = new HashMap<>();
        for (RecoveryKeyRecord r : keys.current(c, deviceId)) {
            if (!r.luks()) {
                held.put(List.of(r.volumeId(), r.protectorId()), r);
            }
        }
        return held;
    }
}
