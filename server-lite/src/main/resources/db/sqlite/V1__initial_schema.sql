-- Castellan server schema v1. Times are epoch milliseconds (INTEGER) so they sort and compare
-- exactly; secrets are stored only as ciphertext envelopes or SHA-256 hashes.

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    admin         INTEGER NOT NULL CHECK (admin IN (0, 1)),
    password_hash TEXT,
    created_at    INTEGER NOT NULL,
    disabled_at   INTEGER
);

CREATE TABLE api_tokens (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    name       TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER,
    revoked_at INTEGER
);

CREATE TABLE registration_keys (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    key_hash   TEXT NOT NULL UNIQUE,
    max_uses   INTEGER,
    uses       INTEGER NOT NULL DEFAULT 0,
    expires_at INTEGER,
    group_name TEXT,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);

CREATE TABLE devices (
    id                  TEXT PRIMARY KEY,
    hostname            TEXT NOT NULL,
    os                  TEXT NOT NULL CHECK (os IN ('linux', 'windows', 'macos')),
    os_version          TEXT,
    agent_version       TEXT,
    public_key          TEXT NOT NULL UNIQUE,
    account             TEXT,
    account_problem     TEXT,
    warnings            TEXT NOT NULL DEFAULT '[]',
    registration_key_id TEXT REFERENCES registration_keys (id),
    registered_at       INTEGER NOT NULL,
    last_seen_at        INTEGER,
    rotate_requested_at INTEGER,
    disabled_at         INTEGER
);
CREATE INDEX devices_hostname ON devices (hostname COLLATE NOCASE);

CREATE TABLE rotations (
    id           TEXT PRIMARY KEY,
    device_id    TEXT NOT NULL REFERENCES devices (id),
    account      TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('pending', 'committed', 'superseded', 'aborted')),
    vault_key_id TEXT NOT NULL,
    envelope     TEXT NOT NULL,
    escrowed_at  INTEGER NOT NULL,
    committed_at INTEGER,
    aborted_at   INTEGER,
    expires_at   INTEGER,
    detail       TEXT
);
CREATE INDEX rotations_device ON rotations (device_id, escrowed_at);

CREATE TABLE policies (
    name               TEXT PRIMARY KEY,
    account            TEXT NOT NULL,
    length             INTEGER NOT NULL,
    complexity         TEXT NOT NULL,
    passphrase_words   INTEGER NOT NULL,
    exclude_lookalikes INTEGER NOT NULL,
    max_age_days       INTEGER NOT NULL,
    check_in_seconds   INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);
INSERT INTO policies VALUES ('default', '', 20, 'full', 0, 1, 30, 3600, 0);

-- Nonces of accepted agent requests, so a captured request cannot be replayed, even across
-- restarts. Pruned once they fall outside the allowed clock skew.
CREATE TABLE request_nonces (
    device_key TEXT NOT NULL,
    nonce      TEXT NOT NULL,
    request_ts INTEGER NOT NULL,
    PRIMARY KEY (device_key, nonce)
);
CREATE INDEX request_nonces_ts ON request_nonces (request_ts);

-- Append-only, hash-chained: hash = SHA-256(prev_hash + canonical row content).
CREATE TABLE audit_log (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    at             INTEGER NOT NULL,
    principal      TEXT NOT NULL,
    action         TEXT NOT NULL,
    outcome        TEXT NOT NULL,
    device_id      TEXT,
    reason         TEXT,
    client_address TEXT,
    detail         TEXT,
    prev_hash      TEXT NOT NULL,
    hash           TEXT NOT NULL
);
CREATE INDEX audit_device ON audit_log (device_id);
CREATE INDEX audit_principal ON audit_log (principal);
