-- The embedded server's lease on lazy commits (db/LazyCommits.java). A check-in's bookkeeping
-- (its nonce, last_seen_at) may commit with synchronous=NORMAL: in WAL mode such a commit survives
-- a crash of the server process but not one of the operating system. The writer may commit lazily
-- only while this row, written durably beforehand, says so (lazy_until_ms), and names the boot of
-- the kernel that held those commits in its page cache (boot_id). A start on another boot that
-- finds an unexpired or unreleased lease knows commits up to lazy_until_ms may be lost, and keeps
-- that in lost_until_ms: the agent guard then refuses signed requests that could replay a lost nonce.
CREATE TABLE commit_lease (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    boot_id       TEXT    NOT NULL,
    lazy_until_ms INTEGER NOT NULL,
    lost_until_ms INTEGER NOT NULL,
    syncs         INTEGER NOT NULL
);
INSERT INTO commit_lease (id, boot_id, lazy_until_ms, lost_until_ms, syncs) VALUES (1, '', 0, 0, 0);
