-- Durable queue of webhook notifications (transactional outbox).
-- A row is written in the same transaction as the action it reports, and stays until the
-- dispatcher has delivered it (delivered_at) or given up on it (dead_at). Times are epoch
-- milliseconds (UTC). payload holds the exact JSON bytes that are signed and POSTed; it never
-- contains a secret.
CREATE TABLE notification_outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    channel_id      TEXT    NOT NULL,
    event_id        TEXT    NOT NULL,
    event_type      TEXT    NOT NULL,
    payload         TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT  NOT NULL,
    delivered_at    BIGINT,
    dead_at         BIGINT,
    last_error      TEXT,
    created_at      BIGINT  NOT NULL,
    -- One delivery per event and channel, even if the caller enqueues twice.
    CONSTRAINT notification_outbox_event_channel UNIQUE (event_id, channel_id)
);

-- The dispatcher's poll: undelivered, not dead, due first.
CREATE INDEX notification_outbox_due
    ON notification_outbox (next_attempt_at)
    WHERE delivered_at IS NULL AND dead_at IS NULL;
