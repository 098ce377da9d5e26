-- Keyset paging of the lists that still loaded every row (issue 11). Portable SQL (SQLite and
-- PostgreSQL both take a DESC column in an index); HotQueryPlansTest asserts each page query
-- searches an index in its order. Rules, channels and the groups page by their primary keys.

-- GET /api/v1/jit: requests newest first, ties by id; a page is a range from the cursor.
CREATE INDEX jit_grants_requested ON jit_grants (requested_at DESC, id);
-- One device's requests (?device=) in the same order. Replaces V33's (device_id, requested_at),
-- whose prefix the check-in's look-ups (active and pending grants of a device) use as they use this.
DROP INDEX IF EXISTS jit_grants_device;
CREATE INDEX jit_grants_device ON jit_grants (device_id, requested_at DESC, id);

-- GET /api/v1/registration-keys: oldest first, ties by id.
CREATE INDEX registration_keys_created ON registration_keys (created_at, id);
