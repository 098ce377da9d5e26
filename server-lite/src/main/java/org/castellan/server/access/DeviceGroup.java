package org.castellan.server.access;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A group of devices: those listed in {@code explicitDeviceIds}, plus those the optional
 * {@code match} selects.
 */
public record DeviceGroup(String id, String name, Set<String> explicitDeviceIds, DeviceMatch match) {
    /** How a device came to be in a group; explicit membership is the more specific. */
    public enum Membership { EXPLICIT, MATCH }

    public DeviceGroup {
        Refs.requireId(id, "device-group");
        Objects.requireNonNull(name, "name");
        explicitDeviceIds = Set.copyOf(explicitDeviceIds);
    }

    /** Empty when the device is not in the group; EXPLICIT wins when both apply. */
    public Optional<Membership> membershipOf(DeviceFacts device) {
        if (explicitDeviceIds.contains(device.id())) {
            return Optional.of(Membership.EXPLICIT);
        }
        if (match != null && match.matches(device)) {
            return Optional.of(Membership.MATCH);
        }
        return Optional.empty();
    }

    public boolean contains(DeviceFacts device) {
        return membershipOf(device).isPresent();
    }
}
