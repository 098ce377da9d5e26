package org.castellan.agent.windows.bitlocker;

import java.util.List;

/**
 * A Win32_EncryptableVolume with its numerical-password protectors.
 *
 * @param deviceId DeviceID, e.g. {@code \\?\Volume{…}\}
 * @param driveLetter e.g. {@code C:}, or null for volumes without a letter
 * @param protectionStatus 0 off, 1 on, 2 unknown (locked)
 * @param conversionStatus 0 fully decrypted, 1 fully encrypted, 2–5 in progress/paused; -1 when unknown
 * @param locked true when the volume is locked, so its protectors could not be read
 * @param protectors numerical-password protectors (KeyProtectorType 3)
 */
public record EncryptableVolume(String deviceId, String driveLetter, int protectionStatus, int conversionStatus,
        boolean locked, List<ProtectorPassword> protectors) {
    public static final int PROTECTION_ON = 1;
    public static final int CONVERSION_FULLY_DECRYPTED = 0;
    public static final int UNKNOWN = -1;

    /** Encrypted (even partly, or with protection suspended), or protected. */
    public boolean encrypted() {
        return protectionStatus == PROTECTION_ON || locked
                || (conversionStatus != UNKNOWN && conversionStatus != CONVERSION_FULLY_DECRYPTED);
    }

    /** What people call the volume: its drive letter, or its DeviceID when it has none. */
    public String label() {
        return driveLetter == null || driveLetter.isBlank() ? deviceId : driveLetter;
    }
}
