package org.castellan.agent.windows.bitlocker;

import java.util.List;
import java.util.Map;
import org.castellan.agent.spi.PlatformException;

/**
 * The raw WMI calls on {@code root\CIMV2\Security\MicrosoftVolumeEncryption}, each answering the
 * properties or out-parameters by name as plain Java values (String, Integer, Object[] of String,
 * or null). One session lives on one thread (COM apartment rules). {@link BitLockerWmiParser}
 * makes sense of the values.
 */
public interface BitLockerWmiSession extends AutoCloseable {
    /** {@code SELECT * FROM Win32_EncryptableVolume}: DeviceID, DriveLetter, ProtectionStatus, ConversionStatus. */
    List<Map<String, Object>> encryptableVolumes() throws PlatformException;

    /** {@code GetKeyProtectors(KeyProtectorType)}: ReturnValue, VolumeKeyProtectorID. */
    Map<String, Object> getKeyProtectors(String deviceId, int keyProtectorType) throws PlatformException;

    /** {@code GetKeyProtectorNumericalPassword(VolumeKeyProtectorID)}: ReturnValue, NumericPassword. */
    Map<String, Object> getKeyProtectorNumericalPassword(String deviceId, String protectorId) throws PlatformException;

    @Override
    void close();

    /** Opens sessions; answers empty when the BitLocker WMI namespace does not exist (e.g. Home editions). */
    interface Connector {
        java.util.Optional<BitLockerWmiSession> open() throws PlatformException;
    }
}
