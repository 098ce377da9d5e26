package org.castellan.server.devices;

/**
 * One page of devices, in id order: those after {@code afterId} (null: from the start), within
 * {@code scope}, with exactly this host name (case-insensitively) when {@code hostname} is set.
 */
public record DeviceQuery(DeviceScope scope, String hostname, String afterId, int limit) {
    public DeviceQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
    }
}
