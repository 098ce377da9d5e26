-- A group's match created or changed marks its rows to be filled (db/migration/V96), in bounded
-- writes by groups/DeviceGroupMatchFill, instead of recomputing them all in the admin's
-- transaction. The device triggers of V94 stay: a device registered or renamed meanwhile gets its
-- rows at once, for every group's current match; the fill's writes recompute the same rows again.
DROP TRIGGER device_groups_matches_insert;
DROP TRIGGER device_groups_matches_update;

CREATE TRIGGER device_groups_matches_insert AFTER INSERT ON device_groups
    WHEN NEW.match_hostname IS NOT NULL OR NEW.match_os IS NOT NULL
BEGIN
    UPDATE device_groups SET match_fill_after = '' WHERE id = NEW.id;
END;

-- A rename or a policy change keeps the rows; a changed match (removed too: its rows go) refills them.
CREATE TRIGGER device_groups_matches_update AFTER UPDATE OF match_hostname, match_os ON device_groups
    WHEN OLD.match_hostname IS NOT NEW.match_hostname OR OLD.match_os IS NOT NEW.match_os
BEGIN
    UPDATE device_groups SET match_fill_after = '' WHERE id = NEW.id;
END;
