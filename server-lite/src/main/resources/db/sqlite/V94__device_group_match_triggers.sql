-- The SQLite triggers that keep db/migration/V93__device_group_matches.sql (see there for the
-- predicate). One writer: no two of these can interleave.
CREATE TRIGGER devices_group_matches_insert AFTER INSERT ON devices
BEGIN
    INSERT INTO device_group_matches (group_id, device_id)
        SELECT g.id, NEW.id FROM device_groups g
        WHERE (g.match_hostname IS NOT NULL OR g.match_os IS NOT NULL)
            AND (g.match_hostname IS NULL OR lower(NEW.hostname) LIKE
                replace(replace(replace(lower(g.match_hostname), '_', '\_'), '*', '%'), '?', '_') ESCAPE '\')
            AND (g.match_os IS NULL OR lower(NEW.os) = lower(g.match_os));
END;

-- Only when what a match reads changes: a check-in reporting the same host name writes nothing.
CREATE TRIGGER devices_group_matches_update AFTER UPDATE OF hostname, os ON devices
    WHEN OLD.hostname IS NOT NEW.hostname OR OLD.os IS NOT NEW.os
BEGIN
    DELETE FROM device_group_matches WHERE device_id = NEW.id;
    INSERT INTO device_group_matches (group_id, device_id)
        SELECT g.id, NEW.id FROM device_groups g
        WHERE (g.match_hostname IS NOT NULL OR g.match_os IS NOT NULL)
            AND (g.match_hostname IS NULL OR lower(NEW.hostname) LIKE
                replace(replace(replace(lower(g.match_hostname), '_', '\_'), '*', '%'), '?', '_') ESCAPE '\')
            AND (g.match_os IS NULL OR lower(NEW.os) = lower(g.match_os));
END;

CREATE TRIGGER device_groups_matches_insert AFTER INSERT ON device_groups
    WHEN NEW.match_hostname IS NOT NULL OR NEW.match_os IS NOT NULL
BEGIN
    INSERT INTO device_group_matches (group_id, device_id)
        SELECT NEW.id, d.id FROM devices d
        WHERE (NEW.match_hostname IS NULL OR lower(d.hostname) LIKE
                replace(replace(replace(lower(NEW.match_hostname), '_', '\_'), '*', '%'), '?', '_') ESCAPE '\')
            AND (NEW.match_os IS NULL OR lower(d.os) = lower(NEW.match_os));
END;

-- A rename or a policy change keeps the rows; a changed match recomputes them (one pass over the
-- devices, on an admin's edit, never per view).
CREATE TRIGGER device_groups_matches_update AFTER UPDATE OF match_hostname, match_os ON device_groups
    WHEN OLD.match_hostname IS NOT NEW.match_hostname OR OLD.match_os IS NOT NEW.match_os
BEGIN
    DELETE FROM device_group_matches WHERE group_id = NEW.id;
    INSERT INTO device_group_matches (group_id, device_id)
        SELECT NEW.id, d.id FROM devices d
        WHERE (NEW.match_hostname IS NOT NULL OR NEW.match_os IS NOT NULL)
            AND (NEW.match_hostname IS NULL OR lower(d.hostname) LIKE
                replace(replace(replace(lower(NEW.match_hostname), '_', '\_'), '*', '%'), '?', '_') ESCAPE '\')
            AND (NEW.match_os IS NULL OR lower(d.os) = lower(NEW.match_os));
END;
