package org.castellan.cli.commands;

import java.util.UUID;
import org.castellan.cli.Session;

/**
 * A device given as {@code ID|HOSTNAME}: a UUID is taken as the device id as is (device ids are
 * UUIDs, host names never look like one); anything else is a host name, resolved exactly as
 * {@code password get} does (equal ignoring case, several matches refused with their ids listed).
 */
final class DeviceRef {
    private DeviceRef() {}

    static boolean isId(String value) {
        if (value.length() != 36) {
            return false;
        }
        try {
            UUID.fromString(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static DeviceTarget.Device resolve(Session session, String idOrHostname) {
        if (isId(idOrHostname)) {
            return new DeviceTarget.Device(idOrHostname, idOrHostname);
        }
        return DeviceTarget.byHostname(session, idOrHostname, null);
    }

    /** How a resolved device is named in messages: its host name, with the id when they differ. */
    static String describe(DeviceTarget.Device device) {
        return device.hostname().equals(device.id()) ? "device " + device.id()
                : device.hostname() + " (device " + device.id() + ")";
    }
}
