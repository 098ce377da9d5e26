-- PostgreSQL version of db/sqlite/V97: a group's match created or changed marks its rows to be
-- filled (db/migration/V96) by groups/DeviceGroupMatchFill in bounded writes. The exclusive
-- advisory lock moves from here to each of the fill's writes, which recompute a range of devices
-- after every device trigger (shared lock) that may have judged them against an older match has
-- committed. A filling write also locks the group's row first, so a match changed meanwhile waits
-- for it and then sets the cursor back to the start.
DROP TRIGGER device_groups_matches ON device_groups;
DROP FUNCTION device_group_matches_of_group();

CREATE FUNCTION device_group_match_fill_of_group() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- A rename or a policy change keeps the rows; a new or changed match (removed too) refills them.
    IF TG_OP = 'UPDATE' AND NEW.match_hostname IS NOT DISTINCT FROM OLD.match_hostname
            AND NEW.match_os IS NOT DISTINCT FROM OLD.match_os THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' AND NEW.match_hostname IS NULL AND NEW.match_os IS NULL THEN
        RETURN NEW;
    END IF;
    NEW.match_fill_after := '';
    RETURN NEW;
END
$$;

CREATE TRIGGER device_groups_match_fill BEFORE INSERT OR UPDATE OF match_hostname, match_os ON device_groups
    FOR EACH ROW EXECUTE FUNCTION device_group_match_fill_of_group();
