package org.castellan.api;

import java.util.List;

/** A device group as {@code /api/v1/device-groups} shows it; {@code match} null for explicit members only. */
public record DeviceGroupView(String id, String name, List<String> devices, Match match, String policy) {
    public record Match(String hostname, String os) {}
}
