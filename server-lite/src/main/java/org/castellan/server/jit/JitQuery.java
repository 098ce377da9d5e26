package org.castellan.server.jit;

import java.time.Instant;
import org.castellan.server.devices.DeviceScope;

/**
 * One page of just-in-time requests, newest first (request time descending, ties by id): those
 * after the request {@code afterRequestedAt}/{@code afterId} (both null: from the newest), on one
 * device when {@code deviceId} is set, else only those of the window that starts at {@code since}
 * (requested or still running since then, or never approved), on devices of {@code scope}.
 */
public record JitQuery(String deviceId, Instant since, DeviceScope scope, Instant afterRequestedAt, String afterId,
                       int limit) {
    public JitQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        if ((afterRequestedAt == null) != (afterId == null)) {
            throw new IllegalArgumentException("a cursor is a request time and an id");
        }
    }
}
