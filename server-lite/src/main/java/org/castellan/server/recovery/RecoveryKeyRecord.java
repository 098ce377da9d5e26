package org.castellan.server.recovery;

import java.time.Instant;
import org.castellan.protocol.envelope.Envelope;

/**
 * One escrowed recovery key as stored: ciphertext only.
 *
 * @param removedAt when the device stopped reporting this protector; null while it is current
 */
public record RecoveryKeyRecord(String id, String deviceId, String volumeId, String volumeLabel,
                                String protectorId, Envelope envelope, Instant escrowedAt, Instant removedAt) {

    public boolean current() {
        return removedAt == null;
    }
}
