package org.castellan.protocol.messages;

import org.castellan.protocol.envelope.Envelope;

/**
 * One disk-encryption recovery key, encrypted to the vault.
 *
 * @param volumeId stable volume identifier (BitLocker DeviceID, FileVault volume UUID)
 * @param volumeLabel what people call the volume (drive letter, mount point)
 * @param protectorId BitLocker key protector GUID (or an equivalent identifier)
 * @param envelope the recovery key sealed with
 *     {@code AssociatedData.forRecoveryKey(deviceId, volumeId, protectorId)}
 */
public record EscrowedRecoveryKey(String volumeId, String volumeLabel, String protectorId, Envelope envelope) {}
