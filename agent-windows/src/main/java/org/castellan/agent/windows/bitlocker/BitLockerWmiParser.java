package org.castellan.agent.windows.bitlocker;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.castellan.agent.spi.PlatformException;
import org.castellan.protocol.Secret;

/**
 * Makes sense of what the Win32_EncryptableVolume query and methods answer, tested on recorded
 * answers. Checks each method's ReturnValue (an HRESULT), the protector-ID and the recovery
 * password formats; the value of a secret never appears in an error message.
 */
public final class BitLockerWmiParser {
    /** FVE_E_LOCKED_VOLUME: the volume is locked; its protectors cannot be read until it is unlocked. */
    public static final long FVE_E_LOCKED_VOLUME = 0x80310000L;
    private static final Pattern PROTECTOR_ID = Pattern.compile(
            "\\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\\}");

    record VolumeRow(String deviceId, String driveLetter, int protectionStatus, int conversionStatus) {}

    private BitLockerWmiParser() {}

    static VolumeRow volume(Map<String, Object> properties) throws PlatformException {
        Object deviceId = properties.get("DeviceID");
        if (!(deviceId instanceof String id) || id.isBlank()) {
            throw new PlatformException("bitlocker-read-failed",
                    "read Win32_EncryptableVolume: a volume has no DeviceID (" + properties.keySet() + ")");
        }
        Object letter = properties.get("DriveLetter");
        return new VolumeRow(id, letter instanceof String s && !s.isBlank() ? s : null,
                intOr(properties.get("ProtectionStatus"), EncryptableVolume.UNKNOWN),
                intOr(properties.get("ConversionStatus"), EncryptableVolume.UNKNOWN));
    }

    /** The method answered FVE_E_LOCKED_VOLUME. */
    static boolean isLocked(Map<String, Object> outParameters) {
        return returnValue(outParameters) == FVE_E_LOCKED_VOLUME;
    }

    static List<String> protectorIds(Map<String, Object> outParameters, String volume) throws PlatformException {
        checkReturnValue(outParameters, "list the key protectors of volume " + volume);
        Object ids = outParameters.get("VolumeKeyProtectorID");
        List<Object> raw = ids == null ? List.of()
                : ids instanceof Object[] array ? Arrays.asList(array)
                : ids instanceof List<?> list ? new ArrayList<>(list)
                : List.of(ids);
        List<String> result = new ArrayList<>();
        for (Object id : raw) {
            String normalized = id instanceof String s ? s.strip().toUpperCase(Locale.ROOT) : null;
            if (normalized == null || !PROTECTOR_ID.matcher(normalized).matches()) {
                throw new PlatformException("bitlocker-read-failed", "list the key protectors of volume " + volume
                        + ": '" + id + "' is not a key protector ID ({GUID})");
            }
            result.add(normalized);
        }
        return List.copyOf(result);
    }

    static Secret numericalPassword(Map<String, Object> outParameters, String volume, String protectorId)
            throws PlatformException {
        String what = "read recovery password " + protectorId + " of volume " + volume;
        checkReturnValue(outParameters, what);
        Object value = outParameters.get("NumericPassword");
        if (!(value instanceof String text)) {
            throw new PlatformException("bitlocker-read-failed", what + ": no NumericPassword in the answer");
        }
        Secret secret = Secret.of(text);
        char[] chars = secret.chars();
        try {
            if (!NumericalPasswords.isValid(chars)) {
                secret.close();
                throw new PlatformException("bitlocker-malformed-key", what
                        + ": the value is not a valid BitLocker recovery password (8 blocks of 6 digits, each divisible by 11)");
            }
        } finally {
            Arrays.fill(chars, '\0');
        }
        return secret;
    }

    private static void checkReturnValue(Map<String, Object> outParameters, String what) throws PlatformException {
        long rv = returnValue(outParameters);
        if (rv != 0) {
            throw new PlatformException("bitlocker-read-failed", what + ": WMI method returned "
                    + String.format("0x%08X", rv));
        }
    }

    /** ReturnValue is a uint32 HRESULT; COM hands it over as a signed VT_I4. */
    private static long returnValue(Map<String, Object> outParameters) {
        Object rv = outParameters.get("ReturnValue");
        return rv instanceof Number n ? Integer.toUnsignedLong(n.intValue()) : 0xFFFFFFFFL;
    }

    private static int intOr(Object value, int fallback) {
        return value instanceof Number n ? n.intValue() : fallback;
    }
}
