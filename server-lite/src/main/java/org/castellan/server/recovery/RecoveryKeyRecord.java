package org.castellan.server.recovery;

import java.time.Instant;
import org.castellan.protocol.envelope.Envelope;

/**
 * One escrowed recovery key as stored: ciphertext only.
 *
 * @param removedAt when the device stopped reporting this protector (or retired the LUKS slot); null while it is current
 * @param kind {@link #SCANNED} (BitLocker, FileVault: the device's full set) or {@link #LUKS} (a slot Castellan created)
 * @param pending a LUKS key escrowed before its slot was added and verified
 */
public record RecoveryKeyRecord(String id, String deviceId, String volumeId, String volumeLabel,
                                String protectorId, Envelope envelope, Instant escrowedAt, Instant removedAt,
                                String kind, boolean pending) {
    public static final String SCANNED = "scanned";
    public static final String LUKS = "luks";

    /** A key of a full-set scan. */
    public RecoveryKeyRecord(String id, String deviceId, String volumeId, String volumeLabel, String protectorId,
                             Envelope envelope, Instant escrowedAt, Instant removedAt) {
        this(id, deviceId, volumeId, volumeLabel, protectorId, envelope, escrowedAt, removedAt, SCANNED, false);
    }

    public boolean current() {
        return removedAt == null;
    }

    public boolean luks() {
        return LUKS.equals(kind);
    }
}
