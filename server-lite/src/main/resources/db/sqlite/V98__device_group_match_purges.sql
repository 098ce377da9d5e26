-- A deleted device group's rows of device_group_matches are deleted after it, in bounded writes
-- (groups/DeviceGroupMatchFill), not by the foreign key's cascade in the admin's transaction: at
-- a million devices a group of 100,000 matches took 1.5-3.4 s to delete, every other write held.
-- So the rows no longer reference device_groups; a group's delete records its id in
-- device_group_match_purges, and its rows stay until purged. Nothing reads them meanwhile: every
-- reader of device_group_matches asks for the ids of groups that exist (an access decision's
-- scope, a group's count or member page), and a group's id is never used again (Tokens.newId).
-- The device foreign key stays: a purged device's rows go with it.
-- SQLite changes a foreign key by rebuilding the table. The device triggers of V94 name the table
-- in their bodies, so they are dropped first and made again as they were.
DROP TRIGGER devices_group_matches_insert;
DROP TRIGGER devices_group_matches_update;

CREATE TABLE device_group_matches_v98 (
    group_id  TEXT NOT NULL,
    device_id TEXT NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, device_id)
);
INSERT INTO device_group_matches_v98 (group_id, device_id) SELECT group_id, device_id FROM device_group_matches;
DROP TABLE device_group_matches;
ALTER TABLE device_group_matches_v98 RENAME TO device_group_matches;
CREATE INDEX device_group_matches_device ON device_group_matches (device_id);

CREATE TRIGGER devices_group_matches_insert AFTER INSERT ON devices
BEGIN
    INSERT INTO device_group_matches (group_id, device_id)
        SELECT group_id, device_id FROM device_group_match_pairs WHERE device_id = NEW.id;
END;

CREATE TRIGGER devices_group_matches_update AFTER UPDATE OF hostname, os ON devices
    WHEN OLD.hostname IS NOT NEW.hostname OR OLD.os IS NOT NEW.os
BEGIN
    DELETE FROM device_group_matches WHERE device_id = NEW.id;
    INSERT INTO device_group_matches (group_id, device_id)
        SELECT group_id, device_id FROM device_group_match_pairs WHERE device_id = NEW.id;
END;

CREATE TABLE device_group_match_purges (
    group_id TEXT PRIMARY KEY
);

CREATE TRIGGER device_groups_match_purge AFTER DELETE ON device_groups
BEGIN
    INSERT INTO device_group_match_purges (group_id) VALUES (OLD.id) ON CONFLICT DO NOTHING;
END;
