package org.castellan.server.notify;

import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The durable queue between "something happened" and "the webhook heard about it". */
public interface NotificationOutbox {
    /** Queues {@code event} for {@code channelId} in its own transaction; returns the row id. */
    long enqueue(String channelId, NotificationEvent event);

    /**
     * Queues {@code event} on the caller's connection, inside the caller's transaction: the
     * notification exists exactly when the audited action does. Neither commits nor closes.
     * Returns the row id (or the existing row's id when this event was already queued).
     */
    long enqueue(Connection transaction, String channelId, NotificationEvent event);

    /**
     * Takes the next due, pending entry and leases it until {@code leaseUntil} (by moving its
     * next attempt there), so a second dispatcher will not send it concurrently and a crash
     * mid-send leaves it to be retried after the lease.
     */
    Optional<OutboxEntry> claimNext(Instant now, Instant leaseUntil);

    void markDelivered(long id, Instant at);

    void markFailed(long id, int attempts, Instant nextAttemptAt, String error);

    void markDead(long id, int attempts, Instant at, String error);

    Optional<OutboxEntry> find(long id);

    List<OutboxEntry> findByEvent(String eventId);

    /** Entries neither delivered nor dead. */
    int pendingCount();
}
