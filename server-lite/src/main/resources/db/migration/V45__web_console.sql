-- The web console (issue 12): browser sessions, TOTP second factors, host-name prefix search.
-- Portable SQL (SQLite and PostgreSQL); times are epoch milliseconds like everywhere else.

-- A session is a random cookie value held by the browser; the server keeps only its SHA-256.
-- 'second-factor': the password was right, the TOTP code is still due; 'signed-in': usable.
CREATE TABLE web_sessions (
    id               TEXT PRIMARY KEY,
    secret_hash      TEXT NOT NULL UNIQUE,
    user_id          TEXT NOT NULL REFERENCES users (id),
    stage            TEXT NOT NULL CHECK (stage IN ('second-factor', 'signed-in')),
    created_at       INTEGER NOT NULL,
    last_seen_at     INTEGER NOT NULL,
    expires_at       INTEGER NOT NULL,
    second_factor_at INTEGER,
    ended_at         INTEGER
);
CREATE INDEX web_sessions_user ON web_sessions (user_id);

-- A user's TOTP seed, sealed to the vault key (bound to the user id); confirmed once a code from
-- the authenticator app matched. last_step is the last 30-second step used: a code is good once.
CREATE TABLE user_totp (
    user_id       TEXT PRIMARY KEY REFERENCES users (id),
    seed_envelope TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    confirmed_at  INTEGER,
    last_step     BIGINT
);

-- Prefix search by host name, case-insensitive, in (lower(hostname), id) order for keyset paging.
CREATE INDEX devices_hostname_lower_id ON devices (lower(hostname), id);
