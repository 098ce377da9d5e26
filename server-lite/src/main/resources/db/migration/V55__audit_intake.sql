-- Audit events recorded by command-line tools (backup, vault shares/recover) while the server may
-- be running. A tool must not append to audit_log itself: the running server holds the chain's end
-- and its head anchor, and refuses to append over a log changed behind its back. So the tool
-- queues the event here and the server (or the next start, or a restore) moves it into the
-- chained log, deleting it from here in the same transaction. Portable SQL (SQLite, PostgreSQL).
CREATE TABLE audit_intake (
    id           TEXT PRIMARY KEY,
    requested_at BIGINT NOT NULL,
    principal    TEXT NOT NULL,
    action       TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    reason       TEXT,
    detail       TEXT
);
