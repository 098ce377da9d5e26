-- Disk-encryption recovery keys (BitLocker, FileVault), ciphertext only: each envelope is bound
-- to (device, volume, protector). A protector the device no longer reports keeps its row with
-- removed_at set, so an old key stays readable (a backup image may still need it).
CREATE TABLE recovery_keys (
    id            TEXT PRIMARY KEY,
    device_id     TEXT NOT NULL REFERENCES devices (id),
    volume_id     TEXT NOT NULL,
    volume_label  TEXT,
    protector_id  TEXT NOT NULL,
    -- protector id reduced to lowercase hex digits (no braces, hyphens) for the key-id lookup;
    -- NULL when the protector id is not a hex identifier (e.g. FileVault's personal key)
    key_id_hex    TEXT,
    vault_key_id  TEXT NOT NULL,
    envelope      TEXT NOT NULL,
    escrowed_at   INTEGER NOT NULL,
    removed_at    INTEGER
);
CREATE UNIQUE INDEX recovery_keys_current ON recovery_keys (device_id, volume_id, protector_id)
    WHERE removed_at IS NULL;
CREATE INDEX recovery_keys_device ON recovery_keys (device_id, escrowed_at);
CREATE INDEX recovery_keys_key_id ON recovery_keys (key_id_hex);

-- Encrypted volumes the device reported without any recovery key (JSON array of labels).
CREATE TABLE recovery_unprotected_volumes (
    device_id   TEXT PRIMARY KEY REFERENCES devices (id),
    volumes     TEXT NOT NULL,
    reported_at INTEGER NOT NULL
);
