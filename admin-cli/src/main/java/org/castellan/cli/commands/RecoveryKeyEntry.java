package org.castellan.cli.commands;

import org.castellan.protocol.Secret;

/**
 * One escrowed recovery key as the server returns it; {@code deviceId} and {@code hostname} are
 * set when looked up by key id. {@code removedAt} is set once the protector left the volume.
 */
record RecoveryKeyEntry(String volumeId, String volumeLabel, String protectorId, Secret recoveryKey, String escrowedAt,
        String removedAt, String deviceId, String hostname) {

    boolean current() {
        return removedAt == null;
    }

    /** The volume as people know it: its label (C:) when it has one, else its id. */
    String volume() {
        return volumeLabel != null && !volumeLabel.isBlank() ? volumeLabel : volumeId == null ? "-" : volumeId;
    }

    void wipe() {
        if (recoveryKey != null) {
            recoveryKey.close();
        }
    }
}
