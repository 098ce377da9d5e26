-- Castellan server schema v1, PostgreSQL (the SQLite original is db/sqlite/V1__initial_schema.sql:
-- same tables; BIGINT for times, an explicit id for audit entries, lower(hostname) for the lookup). Times are epoch milliseconds (BIGINT) so they sort and compare
-- exactly; secrets are stored only as ciphertext envelopes or SHA-256 hashes.

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    admin         BIGINT NOT NULL CHECK (admin IN (0, 1)),
    password_hash TEXT,
    created_at    BIGINT NOT NULL,
    disabled_at   BIGINT
);

CREATE TABLE api_tokens (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    name       TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT,
    revoked_at BIGINT
);

CREATE TABLE registration_keys (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    key_hash   TEXT NOT NULL UNIQUE,
    max_uses   BIGINT,
    uses       BIGINT NOT NULL DEFAULT 0,
    expires_at BIGINT,
    group_name TEXT,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
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
    registered_at       BIGINT NOT NULL,
    last_seen_at        BIGINT,
    rotate_requested_at BIGINT,
    disabled_at         BIGINT
);
CREATE INDEX devices_hostname ON devices (hostname);

CREATE TABLE rotations (
    id           TEXT PRIMARY KEY,
    device_id    TEXT NOT NULL REFERENCES devices (id),
    account      TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('pending', 'committed', 'superseded', 'aborted')),
    vault_key_id TEXT NOT NULL,
    envelope     TEXT NOT NULL,
    escrowed_at  BIGINT NOT NULL,
    committed_at BIGINT,
    aborted_at   BIGINT,
    expires_at   BIGINT,
    detail       TEXT
);
CREATE INDEX rotations_device ON rotations (device_id, escrowed_at);

CREATE TABLE policies (
    name               TEXT PRIMARY KEY,
    account            TEXT NOT NULL,
    length             BIGINT NOT NULL,
    complexity         TEXT NOT NULL,
    passphrase_words   BIGINT NOT NULL,
    exclude_lookalikes BIGINT NOT NULL,
    max_age_days       BIGINT NOT NULL,
    check_in_seconds   BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
INSERT INTO policies VALUES ('default', '', 20, 'full', 0, 1, 30, 3600, 0);

-- Nonces of accepted agent requests, so a captured request cannot be replayed, even across
-- restarts. Pruned once they fall outside the allowed clock skew.
CREATE TABLE request_nonces (
    device_key TEXT NOT NULL,
    nonce      TEXT NOT NULL,
    request_ts BIGINT NOT NULL,
    PRIMARY KEY (device_key, nonce)
);
CREATE INDEX request_nonces_ts ON request_nonces (request_ts);

-- Append-only, hash-chained: hash = SHA-256(prev_hash + canonical row content).
CREATE TABLE audit_log (
    id             BIGINT PRIMARY KEY,
    at             BIGINT NOT NULL,
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
