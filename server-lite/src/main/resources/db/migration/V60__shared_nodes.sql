-- Several server nodes on one database (issue 10). Portable SQL (SQLite and PostgreSQL).

-- The audit chain's head, one row, locked by each append on PostgreSQL (SELECT ... FOR UPDATE) so
-- appends from every node form one chain. hmac authenticates (last_id, last_hash, entries) under
-- the anchor key, which lives outside the database (DIR/audit/anchor.key on every node): rows
-- deleted from audit_log by someone without that key no longer match it. The embedded SQLite
-- database has one writer and anchors to the DIR/audit/head file instead; it leaves this empty.
CREATE TABLE audit_chain_head (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    last_id   INTEGER NOT NULL,
    last_hash TEXT    NOT NULL,
    entries   INTEGER NOT NULL,
    hmac      TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
);

-- Counted events of the shared rate limits (reveals per principal, registrations per address,
-- failed logins per name and address), so every node counts the same. Pruned as they age out.
CREATE TABLE rate_events (
    limit_key TEXT    NOT NULL,
    at        INTEGER NOT NULL
);
CREATE INDEX rate_events_key_at ON rate_events (limit_key, at);

-- Login lockouts in force, shared by every node.
CREATE TABLE login_locks (
    limit_key    TEXT PRIMARY KEY,
    locked_until INTEGER NOT NULL
);

-- The case-insensitive host name lookup, the same expression on both.
CREATE INDEX devices_hostname_lower ON devices (lower(hostname));
