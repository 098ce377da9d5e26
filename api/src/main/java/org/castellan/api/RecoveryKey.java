package org.castellan.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import org.castellan.protocol.Secret;

/**
 * An escrowed recovery key as a reveal shows it. {@code deviceId} and {@code hostname} are there
 * (first) only when keys are looked up by key id ({@code GET /api/v1/recovery-keys?keyId=}), not
 * when read by device. {@code removedAt} is set once the protector left the volume. {@code kind} is
 * {@code luks} for a LUKS key slot Castellan created (else absent: a scanned BitLocker or FileVault
 * key); {@code pending} is true while that slot may not exist yet (escrowed, not yet verified).
 */
public record RecoveryKey(@JsonInclude(JsonInclude.Include.NON_NULL) String deviceId,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String hostname,
                          String volumeId, String volumeLabel, String protectorId,
                          @JsonSerialize(using = SecretJson.Writer.class)
                          @JsonDeserialize(using = SecretJson.Reader.class) Secret recoveryKey,
                          Instant escrowedAt, Instant removedAt,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String kind,
                          @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean pending) {

    public RecoveryKey(String deviceId, String hostname, String volumeId, String volumeLabel, String protectorId,
                       Secret recoveryKey, Instant escrowedAt, Instant removedAt) {
        this(deviceId, hostname, volumeId, volumeLabel, protectorId, recoveryKey, escrowedAt, removedAt, null, false);
    }

    /** The same key, of {@code kind} ({@code scanned} is shown as absent). */
    public RecoveryKey withKind(String kind, boolean pending) {
        return new RecoveryKey(deviceId, hostname, volumeId, volumeLabel, protectorId, recoveryKey, escrowedAt, removedAt,
                "scanned".equals(kind) ? null : kind, pending);
    }

    /** A key read by device. */
    public static RecoveryKey onDevice(String volumeId, String volumeLabel, String protectorId, Secret recoveryKey,
                                       Instant escrowedAt, Instant removedAt) {
        return new RecoveryKey(null, null, volumeId, volumeLabel, protectorId, recoveryKey, escrowedAt, removedAt);
    }

    public boolean current() {
        return removedAt == null;
    }

    public void wipe() {
        SecretJson.wipe(recoveryKey);
    }
}
