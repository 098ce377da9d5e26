package org.castellan.agent.recovery;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.castellan.agent.client.ServerApi;
import org.castellan.agent.client.ServerException;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.spi.RecoveryKey;
import org.castellan.agent.spi.RecoveryKeySource;
import org.castellan.agent.spi.RecoveryKeySource.RecoveryKeyScan;
import org.castellan.agent.state.RecoveryKeySet;
import org.castellan.protocol.envelope.AssociatedData;
import org.castellan.protocol.envelope.Envelope;
import org.castellan.protocol.envelope.SecretEnvelope;
import org.castellan.protocol.messages.EscrowedRecoveryKey;
import org.castellan.protocol.messages.RecoveryKeyEscrowRequest;
import org.castellan.protocol.messages.VaultKey;

/**
 * One recovery-key pass of a check-in: scan, compare the identifiers with what the server last
 * acknowledged, and when they differ seal every key to the vault and send the full set. Nothing
 * here throws: a failed scan or escrow becomes a warning, and the acknowledged set only moves on
 * after the server answered 2xx, so a failure is retried at the next check-in.
 */
public final class RecoveryKeyEscrow {
    public static final String SCAN_FAILED = "recovery-key-scan-failed";
    public static final String ESCROW_FAILED = "recovery-key-escrow-failed";
    private static final RecoveryKeySet EMPTY = new RecoveryKeySet(List.of(), List.of());

    /**
     * @param acknowledged what the server holds now as far as the agent knows (the previous set when nothing was acknowledged)
     * @param sent whether the full set was sent and acknowledged in this pass
     * @param warnings short codes for the server's warnings list (no secrets, no paths)
     * @param detail a human-readable account of a failure for the command's output, or null
     */
    public record Outcome(RecoveryKeySet acknowledged, boolean sent, List<String> warnings, String detail) {}

    private final RecoveryKeySource source;
    private final ServerApi api;
    private final String deviceId;

    public RecoveryKeyEscrow(RecoveryKeySource source, ServerApi api, String deviceId) {
        this.source = source;
        this.api = api;
        this.deviceId = deviceId;
    }

    public Outcome run(RecoveryKeySet lastAcknowledged, VaultKey vaultKey) {
        RecoveryKeyScan scan;
        try {
            scan = source.scan();
        } catch (PlatformException | RuntimeException e) {
            String code = e instanceof PlatformException p ? p.code() : e.getClass().getSimpleName();
            return new Outcome(lastAcknowledged, false, List.of(warning(SCAN_FAILED, code)),
                    "scan recovery keys: " + code + ": " + e.getMessage());
        }
        List<RecoveryKey> keys = scan.keys() == null ? List.of() : scan.keys();
        try {
            RecoveryKeySet current = identifiers(keys, scan.unprotectedVolumes());
            if (current.equals(lastAcknowledged) || (lastAcknowledged == null && current.equals(EMPTY))) {
                // Nothing new for the server (a device without encrypted volumes never calls it).
                return new Outcome(lastAcknowledged, false, List.of(), null);
            }
            RecoveryKeyEscrowRequest request;
            try {
                request = new RecoveryKeyEscrowRequest(seal(keys, vaultKey), current.unprotectedVolumes());
            } catch (RuntimeException e) {
                return new Outcome(lastAcknowledged, false, List.of(warning(ESCROW_FAILED, "seal-failed")),
                        "seal recovery keys to vault key " + vaultKey.keyId() + ": " + e.getMessage());
            }
            try {
                api.escrowRecoveryKeys(request);
            } catch (ServerException e) {
                return new Outcome(lastAcknowledged, false, List.of(warning(ESCROW_FAILED, e.code())),
                        "escrow " + keys.size() + " recovery keys: " + e.getMessage());
            }
            return new Outcome(current, true, List.of(), null);
        } finally {
            keys.forEach(k -> {
                if (k.recoveryPassword() != null) {
                    k.recoveryPassword().close();
                }
            });
        }
    }

    private List<EscrowedRecoveryKey> seal(List<RecoveryKey> keys, VaultKey vaultKey) {
        List<EscrowedRecoveryKey> sealed = new ArrayList<>();
        for (RecoveryKey k : keys) {
            byte[] utf8 = k.recoveryPassword().utf8();
            try {
                Envelope envelope = SecretEnvelope.seal(vaultKey,
                        AssociatedData.forRecoveryKey(deviceId, k.volumeId(), k.protectorId()), utf8);
                sealed.add(new EscrowedRecoveryKey(k.volumeId(), k.volumeLabel(), k.protectorId(), envelope));
            } catch (Exception e) {
                throw new IllegalStateException("seal recovery key of volume " + k.volumeLabel() + ": " + e.getMessage(), e);
            } finally {
                Arrays.fill(utf8, (byte) 0);
            }
        }
        return sealed;
    }

    static RecoveryKeySet identifiers(List<RecoveryKey> keys, List<String> unprotectedVolumes) {
        List<RecoveryKeySet.KeyRef> refs = new ArrayList<>();
        for (RecoveryKey k : keys) {
            refs.add(new RecoveryKeySet.KeyRef(k.volumeId(), k.protectorId()));
        }
        return new RecoveryKeySet(refs, unprotectedVolumes);
    }

    /** {@code prefix:code}, the code reduced to a short token so the server's warning rules always accept it. */
    static String warning(String prefix, String code) {
        String token = code == null ? "unknown" : code.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
        if (token.length() > 60) {
            token = token.substring(0, 60);
        }
        return prefix + ":" + token;
    }
}
