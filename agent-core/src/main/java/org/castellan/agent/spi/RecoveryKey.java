package org.castellan.agent.spi;

import org.castellan.protocol.Secret;

/**
 * A disk-encryption recovery secret found on this device.
 *
 * @param volumeId stable volume identifier (BitLocker DeviceID, FileVault volume UUID)
 * @param volumeLabel what people call it (drive letter, mount point)
 * @param protectorId BitLocker key protector GUID, or an equivalent identifier
 * @param recoveryPassword the secret itself; the caller closes it
 */
public record RecoveryKey(String volumeId, String volumeLabel, String protectorId, Secret recoveryPassword) {}
