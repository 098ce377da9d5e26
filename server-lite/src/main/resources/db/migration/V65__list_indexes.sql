-- Keyset paging at a million devices (issue 11). Portable SQL: SQLite and PostgreSQL both have
-- expression indexes and lower().
-- devices list by host name (?hostname=, case-insensitive) in id order: no sort in a temporary table.
-- Replaces V60's (lower(hostname)) index of the same name: the id column makes it serve the keyset order too.
DROP INDEX IF EXISTS devices_hostname_lower;
CREATE INDEX devices_hostname_lower ON devices (lower(hostname), id);
-- V45 (the console's prefix search) made the same (lower(hostname), id) index under another name; one is enough.
DROP INDEX IF EXISTS devices_hostname_lower_id;
