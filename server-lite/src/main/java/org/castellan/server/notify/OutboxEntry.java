package org.castellan.server.notify;

import java.time.Instant;

/** One queued delivery of one event to one channel. Nullable: deliveredAt, deadAt, lastError. */
public record OutboxEntry(long id, String channelId, String eventId, String eventType, String payload,
                          int attempts, Instant nextAttemptAt, Instant deliveredAt, Instant deadAt,
                          String lastError, Instant createdAt) {
    public boolean pending() {
        return deliveredAt == null && deadAt == null;
    }
}
