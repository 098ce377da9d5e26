-- The SQLite triggers that keep db/migration/V93__device_group_matches.sql, each narrowing its
-- view device_group_match_pairs (the predicate) to the changed device or group. One writer: no two
-- of these can interleave.
CREATE TRIGGER devices_group_matches_insert AFTER INSERT ON devices
BEGIN
    INSERT INTO device_group_matches (group_id, device_id)
        SELECT group_id, device_id FROM device_group_match_pairs WHERE device_id = NEW.id;
END;

-- Only when what a match reads changes: a check-in reporting the same host name writes nothing.
CREATE TRIGGER devices_group_matches_update AFTER UPDATE OF hostname, os ON devices
    WHEN OLD.hostname IS NOT NEW.hostname OR OLD.os IS NOT NEW.os
BEGIN
    DELETE FROM device_group_matches WHERE device_id = NEW.id;
    INSERT INTO device_group_matches (group_id, device_id)
        SELECT group_id, device_id FROM device_group_match_pairs WHERE device_id = NEW.id;
END;

CREATE TRIGGER device_groups_matches_insert AFTER INSERT ON device_groups
    WHEN NEW.match_hostname IS NOT NULL OR NEW.match_os IS NOT NULL
BEGIN
    INSERT INTO device_group_matches (group_id, device_id)
        SELECT group_id, device_id FROM device_group_match_pairs WHERE group_id = NEW.id;
END;

-- A rename or a policy change keeps the rows; a changed match recomputes them (one pass over the
-- devices, on an admin's edit, never per view).
CREATE TRIGGER device_groups_matches_update AFTER UPDATE OF match_hostname, match_os ON device_groups
    WHEN OLD.match_hostname IS NOT NEW.match_hostname OR OLD.match_os IS NOT NEW.match_os
BEGIN
    DELETE FROM device_group_matches WHERE group_id = NEW.id;
    INSERT INTO device_group_matches (group_id, device_id)
        SELECT group_id, device_id FROM device_group_match_pairs WHERE group_id = NEW.id;
END;
