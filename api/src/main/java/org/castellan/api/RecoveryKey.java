package org.castellan.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import org.castellan.protocol.Secret;

/**
 * An escrowed recovery key as a reveal shows it. {@code deviceId} and {@code hostname} are there
 * (first) only when keys are looked up by key id ({@code GET /api/v1/recovery-keys?keyId=}), not
 * when read by device. {@code removedAt} is set once the protector left the volume.
 */
public record RecoveryKey(@JsonInclude(JsonInclude.Include.NON_NULL) String deviceId,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String hostname,
                          String volumeId, String volumeLabel, String protectorId,
                          @JsonSerialize(using = SecretJson.Writer.class)
                          @JsonDeserialize(using = SecretJson.Reader.class) Secret recoveryKey,
                          Instant escrowedAt, Instant removedAt) {

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
