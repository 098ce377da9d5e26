package org.castellan.agent.windows.bitlocker;

import java.util.List;
import org.castellan.agent.spi.PlatformException;

/** BitLocker volumes and their recovery passwords, as plain records. */
public interface BitLockerWmi {
    List<EncryptableVolume> volumes() throws PlatformException;
}
