package org.castellan.agent.windows.bitlocker;

/** WMI object paths for ExecMethod on one Win32_EncryptableVolume instance. */
public final class WmiObjectPaths {
    private WmiObjectPaths() {}

    /**
     * {@code Win32_EncryptableVolume.DeviceID="\\\\?\\Volume{…}\\"}: in a WMI object path a key
     * value is a quoted string in which backslash and double quote are escaped with a backslash.
     */
    public static String encryptableVolume(String deviceId) {
        return "Win32_EncryptableVolume.DeviceID=\"" + deviceId.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
