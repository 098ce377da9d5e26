-- The fleet reports (issue 13): each one pages or aggregates in the database, on an index, never
-- a walk over every device per page view. Portable SQL (SQLite and PostgreSQL): partial and
-- expression indexes exist on both, and the queries repeat each index's expression exactly.

-- When the committed password was first handed out (a granted reveal), NULL while nobody has read
-- it. A new commit is a new row, so "read and not rotated since" is read_at set on the committed row.
ALTER TABLE rotations ADD COLUMN read_at INTEGER;
UPDATE rotations SET read_at = (SELECT MIN(a.at) FROM audit_log a WHERE a.device_id = rotations.device_id
        AND a.action = 'password.reveal' AND a.outcome = 'granted' AND a.at >= rotations.committed_at)
    WHERE state = 'committed';
CREATE INDEX rotations_read_unrotated ON rotations (read_at, device_id)
    WHERE state = 'committed' AND read_at IS NOT NULL;

-- Overdue: the committed password past its expiry, oldest expiry first.
CREATE INDEX rotations_committed_expiry ON rotations (expires_at, device_id) WHERE state = 'committed';

-- Failing: aborted rotation attempts, newest first (the report looks at a recent window).
CREATE INDEX rotations_aborted_at ON rotations (aborted_at, device_id) WHERE state = 'aborted';

-- Stale: live devices by their last contact (the last check-in, else the registration).
CREATE INDEX devices_last_contact ON devices (COALESCE(last_seen_at, registered_at), id) WHERE deleted_at IS NULL;

-- Agent and OS versions of the live fleet: GROUP BY on a covering index, in its order (no sort
-- of the groups), not the table; deleted_at leads so that "deleted_at IS NULL" is its prefix.
CREATE INDEX devices_agent_version ON devices (deleted_at, agent_version);
CREATE INDEX devices_os_version ON devices (deleted_at, os, os_version);


-- Encrypted volumes without an escrowed recovery key: only the devices that reported some (most
-- report an empty list), in device id order.
CREATE INDEX recovery_unprotected_some ON recovery_unprotected_volumes (device_id) WHERE volumes <> '[]';
