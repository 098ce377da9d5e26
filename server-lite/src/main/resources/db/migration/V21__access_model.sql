-- Access model: user groups, device groups, rules, notification channels, device approval,
-- registration-key options, token last use and history retention. Times: epoch milliseconds.

ALTER TABLE api_tokens ADD COLUMN last_used_at INTEGER;

-- NULL = waiting for approval. Devices registered before this migration count as approved.
ALTER TABLE devices ADD COLUMN approved_at INTEGER;
UPDATE devices SET approved_at = registered_at;

ALTER TABLE registration_keys ADD COLUMN require_approval INTEGER NOT NULL DEFAULT 0;
-- JSON array of device group ids new devices join.
ALTER TABLE registration_keys ADD COLUMN device_groups TEXT NOT NULL DEFAULT '[]';

ALTER TABLE policies ADD COLUMN history_keep INTEGER NOT NULL DEFAULT 10;
ALTER TABLE policies ADD COLUMN history_days INTEGER NOT NULL DEFAULT 90;

CREATE TABLE user_groups (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);

CREATE TABLE user_group_members (
    group_id TEXT NOT NULL REFERENCES user_groups (id) ON DELETE CASCADE,
    user_id  TEXT NOT NULL REFERENCES users (id),
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX user_group_members_user ON user_group_members (user_id);

CREATE TABLE device_groups (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    match_hostname TEXT,
    match_os       TEXT,
    policy         TEXT,
    created_at     INTEGER NOT NULL
);

CREATE TABLE device_group_members (
    group_id  TEXT NOT NULL REFERENCES device_groups (id) ON DELETE CASCADE,
    device_id TEXT NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, device_id)
);
CREATE INDEX device_group_members_device ON device_group_members (device_id);

-- principals, targets, permissions and channels are JSON arrays of their wire strings.
CREATE TABLE rules (
    id                         TEXT PRIMARY KEY,
    name                       TEXT NOT NULL,
    principals                 TEXT NOT NULL,
    targets                    TEXT NOT NULL,
    permissions                TEXT NOT NULL,
    require_reason             INTEGER NOT NULL,
    rotate_after_read_minutes  INTEGER,
    channels                   TEXT NOT NULL,
    expires_at                 INTEGER,
    created_by                 TEXT NOT NULL,
    created_at                 INTEGER NOT NULL
);

-- The signing secret is stored only as an envelope sealed to the vault key.
CREATE TABLE channels (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    type       TEXT NOT NULL CHECK (type IN ('webhook')),
    url        TEXT NOT NULL,
    secret     TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE INDEX audit_action ON audit_log (action);
CREATE INDEX audit_at ON audit_log (at);
