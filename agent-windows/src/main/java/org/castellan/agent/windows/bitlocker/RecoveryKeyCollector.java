package org.castellan.agent.windows.bitlocker;

import java.util.ArrayList;
import java.util.List;
import org.castellan.agent.spi.RecoveryKey;
import org.castellan.agent.spi.RecoveryKeySource.RecoveryKeyScan;

/**
 * Turns BitLocker volumes into the SPI's scan: one {@link RecoveryKey} per numerical-password
 * protector, and the labels of encrypted volumes that have none (nobody could recover them).
 * A locked volume's protectors cannot be read; it is listed as {@code "E: (locked)"} so admins
 * see why its key is missing.
 */
public final class RecoveryKeyCollector {
    private RecoveryKeyCollector() {}

    public static RecoveryKeyScan collect(List<EncryptableVolume> volumes) {
        List<RecoveryKey> keys = new ArrayList<>();
        List<String> unprotected = new ArrayList<>();
        for (EncryptableVolume volume : volumes) {
            for (ProtectorPassword protector : volume.protectors()) {
                keys.add(new RecoveryKey(volume.deviceId(), volume.label(), protector.protectorId(),
                        protector.numericalPassword()));
            }
            if (volume.locked()) {
                unprotected.add(volume.label() + " (locked)");
            } else if (volume.encrypted() && volume.protectors().isEmpty()) {
                unprotected.add(volume.label());
            }
        }
        return new RecoveryKeyScan(List.copyOf(keys), List.copyOf(unprotected));
    }
}
