-- Which devices each device group's match (host-name pattern and/or OS) selects, kept as rows
-- (issues 11 and 13): a non-admin whose rules reach devices through such a group has their device
-- list, reports and just-in-time list narrowed by an index search on these rows, at a cost that
-- follows the group's size, instead of testing every device's host name against the pattern per
-- page view (a full walk of the fleet when the pattern matches few devices).
-- Kept by triggers (per vendor, db/sqlite and db/postgresql V94) on devices (insert, host name or
-- OS changed) and on device_groups (created, match changed); the foreign keys delete a group's or
-- a purged device's rows. Deleted (tombstoned) devices keep their rows: every query that reads
-- these also says whether it wants live devices or tombstones, as for explicit members.
-- The predicate is the one SqlDeviceStore used inline before: lower() on both sides (the same on
-- SQLite and PostgreSQL), the glob's * and ? as LIKE's % and _, a literal _ escaped (the only LIKE
-- wildcard a host-name pattern may contain; HostnameGlob allows A-Z a-z 0-9 . _ - * ?). The caller
-- still confirms each device with the full access decision.
CREATE TABLE device_group_matches (
    group_id  TEXT NOT NULL REFERENCES device_groups (id) ON DELETE CASCADE,
    device_id TEXT NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, device_id)
);
CREATE INDEX device_group_matches_device ON device_group_matches (device_id);

-- The predicate, in one place: every (group, device) pair a group's match selects. The triggers
-- narrow it to one device (a lookup by key) or one group (one pass over the devices).
CREATE VIEW device_group_match_pairs AS
    SELECT g.id AS group_id, d.id AS device_id FROM device_groups g JOIN devices d
        ON (g.match_hostname IS NOT NULL OR g.match_os IS NOT NULL)
        AND (g.match_hostname IS NULL OR lower(d.hostname) LIKE
            replace(replace(replace(lower(g.match_hostname), '_', '\_'), '*', '%'), '?', '_') ESCAPE '\')
        AND (g.match_os IS NULL OR lower(d.os) = lower(g.match_os));

INSERT INTO device_group_matches (group_id, device_id) SELECT group_id, device_id FROM device_group_match_pairs;
