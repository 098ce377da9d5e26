package org.castellan.server.devices;

/**
 * One page of devices, in id order: those after {@code afterId} (null: from the start), within
 * {@code scope}, with exactly this host name (case-insensitively) when {@code hostname} is set;
 * live devices, or only the tombstones (deleted, secrets not purged yet) when {@code deleted}.
 */
public record DeviceQuery(DeviceScope scope, String hostname, String afterId, int limit, boolean deleted) {
    public DeviceQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
    }

    /** Live devices only. */
    public DeviceQuery(DeviceScope scope, String hostname, String afterId, int limit) {
        this(scope, hostname, afterId, limit, false);
    }
}
