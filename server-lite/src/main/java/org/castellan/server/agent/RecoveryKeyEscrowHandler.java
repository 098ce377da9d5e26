package org.castellan.server.agent;

import io.javalin.http.Context;
import java.security.MessageDigest;
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
import org.castellan.server.guard.AgentRequest;
import org.castellan.server.http.JsonBody;
import org.castellan.server.http.Responses;
import org.castellan.server.recovery.EscrowInput;
import org.castellan.server.recovery.RecoveryKeyOpener;
import org.castellan.server.recovery.RecoveryKeyRecord;
import org.castellan.server.recovery.RecoveryKeyStore;

/**
 * {@code POST /api/v1/agent/recovery-keys}: the device's full current set of recovery keys. Every
 * envelope is test-opened before anything is written; then, in one transaction, new (volume,
 * protector) keys are stored, identical ones left alone, and current keys missing from the set
 * marked removed (kept for history).
 */
public final class RecoveryKeyEscrowHandler {
    private final RecoveryKeyStore keys;
    private final RecoveryKeyOpener opener;
    private final Clock clock;

    public RecoveryKeyEscrowHandler(RecoveryKeyStore keys, RecoveryKeyOpener opener, Clock clock) {
        this.keys = keys;
        this.opener = opener;
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
            Outcome outcome = signed.write((c, audit) -> {
                Map<List<String>, RecoveryKeyRecord> held = new HashMap<>();
                for (RecoveryKeyRecord r : keys.current(c, deviceId)) {
                    if (r.luks()) {
                        continue; // managed key by key (LuksKeyHandlers), never part of a scanned set
                    }
                    held.put(List.of(r.volumeId(), r.protectorId()), r);
                }
                int stored = 0;
                int unchanged = 0;
                int removed = 0;
                for (int i = 0; i < sent.size(); i++) {
                    EscrowedRecoveryKey k = sent.get(i);
                    RecoveryKeyRecord existing = held.remove(List.of(k.volumeId(), k.protectorId()));
                    if (existing != null && sameKey(existing, plaintexts.get(i))) {
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

    private boolean sameKey(RecoveryKeyRecord existing, byte[] sentPlaintext) {
        byte[] stored = opener.openBytes(existing);
        try {
            return MessageDigest.isEqual(stored, sentPlaintext);
        } finally {
            Arrays.fill(stored, (byte) 0);
        }
    }
}
