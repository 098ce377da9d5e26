package org.castellan.agent.spi;

import java.util.List;

/** Lists this device's disk-encryption recovery keys. */
public interface RecoveryKeySource {
    RecoveryKeySource NONE = () -> new RecoveryKeyScan(List.of(), List.of());

    RecoveryKeyScan scan() throws PlatformException;

    /**
     * @param keys every recovery secret found
     * @param unprotectedVolumes encrypted volumes that have no recovery secret (reported to admins)
     */
    record RecoveryKeyScan(List<RecoveryKey> keys, List<String> unprotectedVolumes) {}
}
