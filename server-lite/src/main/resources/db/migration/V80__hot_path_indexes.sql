-- Hot-path look-ups at a million devices and a hundred million audit rows (issue 11). Portable
-- SQL (SQLite and PostgreSQL); HotQueryPlansTest asserts that each hot query searches an index.

-- The audit trail of one device, one principal or one action, newest first, paged by id (id < the
-- cursor): the filter and the id order in one index, so a page reads only its own rows. On SQLite
-- the single-column indexes carried the rowid (= id) already; on PostgreSQL they did not, and a
-- page sorted every row of the device.
DROP INDEX IF EXISTS audit_device;
CREATE INDEX audit_device ON audit_log (device_id, id);
DROP INDEX IF EXISTS audit_principal;
CREATE INDEX audit_principal ON audit_log (principal, id);
DROP INDEX IF EXISTS audit_action;
CREATE INDEX audit_action ON audit_log (action, id);

-- A user's tokens, paged by id (the look-up by hash has the column's unique index).
CREATE INDEX api_tokens_user ON api_tokens (user_id, id);

-- The committed password of a device (every reveal, history and check-in): one index entry, no sort
-- of the device's history.
CREATE INDEX rotations_device_committed ON rotations (device_id, committed_at) WHERE state = 'committed';
