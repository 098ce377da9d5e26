-- A rotation id belongs to its device: the key becomes (device_id, id), so a device that sends an
-- id another device already used gets exactly the answer of an unknown id (its own row), not a
-- conflict that tells it the id exists elsewhere. The envelope's associated data already binds
-- device, account and rotation id. Rebuilt as a new table (portable to SQLite and PostgreSQL).
CREATE TABLE rotations_by_device (
    id           TEXT NOT NULL,
    device_id    TEXT NOT NULL REFERENCES devices (id),
    account      TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('pending', 'committed', 'superseded', 'aborted')),
    vault_key_id TEXT NOT NULL,
    envelope     TEXT NOT NULL,
    escrowed_at  INTEGER NOT NULL,
    committed_at INTEGER,
    aborted_at   INTEGER,
    expires_at   INTEGER,
    detail       TEXT,
    PRIMARY KEY (device_id, id)
);
INSERT INTO rotations_by_device (id, device_id, account, state, vault_key_id, envelope, escrowed_at, committed_at,
                                 aborted_at, expires_at, detail)
    SELECT id, device_id, account, state, vault_key_id, envelope, escrowed_at, committed_at, aborted_at, expires_at,
           detail FROM rotations;
DROP TABLE rotations;
ALTER TABLE rotations_by_device RENAME TO rotations;
CREATE INDEX rotations_device ON rotations (device_id, escrowed_at);
