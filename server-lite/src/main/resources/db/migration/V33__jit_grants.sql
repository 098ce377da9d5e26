-- Just-in-time admin rights (issue 18). Times: epoch milliseconds.

-- A device.jit request under a rule with require_approval waits for a second person.
ALTER TABLE rules ADD COLUMN require_approval INTEGER NOT NULL DEFAULT 0;

-- One request for admin rights of account on device_id for duration_seconds. expires_at is set
-- when the right starts (at the request, or at the approval when one is needed) and never moves.
-- channels: JSON array of the channel ids of the rules that granted the request (told about the
-- agent's reports too). agent_state: what the agent last reported (granted, revoked, expired, failed).
CREATE TABLE jit_grants (
    id                TEXT PRIMARY KEY,
    device_id         TEXT NOT NULL REFERENCES devices (id),
    account           TEXT NOT NULL,
    duration_seconds  INTEGER NOT NULL,
    reason            TEXT,
    requested_by      TEXT NOT NULL,
    requested_at      INTEGER NOT NULL,
    approval_required INTEGER NOT NULL,
    approved_by       TEXT,
    approved_at       INTEGER,
    expires_at        INTEGER,
    revoked_by        TEXT,
    revoked_at        INTEGER,
    agent_state       TEXT,
    agent_state_at    INTEGER,
    agent_detail      TEXT,
    channels          TEXT NOT NULL
);
CREATE INDEX jit_grants_device ON jit_grants (device_id, requested_at);
