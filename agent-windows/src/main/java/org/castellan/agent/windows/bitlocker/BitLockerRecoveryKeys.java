package org.castellan.agent.windows.bitlocker;

import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.spi.RecoveryKeySource;

/** The SPI's {@link RecoveryKeySource} for BitLocker. */
public final class BitLockerRecoveryKeys implements RecoveryKeySource {
    private final BitLockerWmi wmi;

    public BitLockerRecoveryKeys(BitLockerWmi wmi) {
        this.wmi = wmi;
    }

    @Override
    public RecoveryKeyScan scan() throws PlatformException {
        return RecoveryKeyCollector.collect(wmi.volumes());
    }
}
