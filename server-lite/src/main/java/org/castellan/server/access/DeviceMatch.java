package org.castellan.server.access;

import java.util.Locale;
import java.util.Set;

/**
 * The "by match" half of a device group: a hostname glob, an OS, or both (all given criteria
 * must hold). At least one criterion is required, so an empty match cannot silently cover every
 * device.
 */
public record DeviceMatch(HostnameGlob hostname, String os) {
    public static final Set<String> OPERATING_SYSTEMS = Set.of("linux", "windows", "macos");

    public DeviceMatch {
        if (hostname == null && os == null) {
            throw new IllegalArgumentException("device group match needs a hostname pattern, an os, or both");
        }
        if (os != null && !OPERATING_SYSTEMS.contains(os)) {
            throw new IllegalArgumentException("device group match os " + Refs.quoteShort(os)
                    + " must be one of linux, windows, macos");
        }
    }

    /** Either argument may be null. */
    public static DeviceMatch of(String hostnameGlob, String os) {
        return new DeviceMatch(hostnameGlob == null ? null : HostnameGlob.compile(hostnameGlob),
                os == null ? null : os.toLowerCase(Locale.ROOT));
    }

    public boolean matches(DeviceFacts device) {
        if (os != null && (device.os() == null || !os.equals(device.os().toLowerCase(Locale.ROOT)))) {
            return false;
        }
        return hostname == null || hostname.matches(device.hostname());
    }

    /** Literal characters of the hostname pattern; 0 for an OS-only match. */
    public int hostnameLiteralLength() {
        return hostname == null ? 0 : hostname.literalLength();
    }
}
