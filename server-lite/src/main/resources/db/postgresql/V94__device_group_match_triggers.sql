-- PostgreSQL version of db/sqlite/V94__device_group_match_triggers.sql (the predicate is db/migration/V93's
-- view device_group_match_pairs). Several nodes write at once under READ COMMITTED, so a device registered while
-- an admin changes a group's match could be judged against the old match by one transaction and
-- missed by the other's recomputation. A transaction-scoped advisory lock (one fixed key) orders
-- them: a device's trigger takes it shared, a group's exclusive, and each statement after the
-- lock sees what the other committed.
CREATE FUNCTION device_group_matches_lock_key() RETURNS BIGINT LANGUAGE sql IMMUTABLE AS $$
    SELECT 7311540392871106093::BIGINT
$$;

CREATE FUNCTION device_group_matches_of_device() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Only when what a match reads changes: a check-in reporting the same host name writes nothing.
    IF TG_OP = 'UPDATE' AND NEW.hostname IS NOT DISTINCT FROM OLD.hostname AND NEW.os IS NOT DISTINCT FROM OLD.os THEN
        RETURN NULL;
    END IF;
    PERFORM pg_advisory_xact_lock_shared(device_group_matches_lock_key());
    IF TG_OP = 'UPDATE' THEN
        DELETE FROM device_group_matches WHERE device_id = NEW.id;
    END IF;
    INSERT INTO device_group_matches (group_id, device_id)
        SELECT group_id, device_id FROM device_group_match_pairs WHERE device_id = NEW.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER devices_group_matches AFTER INSERT OR UPDATE OF hostname, os ON devices
    FOR EACH ROW EXECUTE FUNCTION device_group_matches_of_device();

CREATE FUNCTION device_group_matches_of_group() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- A rename or a policy change keeps the rows; a changed match recomputes them.
    IF TG_OP = 'UPDATE' AND NEW.match_hostname IS NOT DISTINCT FROM OLD.match_hostname
            AND NEW.match_os IS NOT DISTINCT FROM OLD.match_os THEN
        RETURN NULL;
    END IF;
    PERFORM pg_advisory_xact_lock(device_group_matches_lock_key());
    IF TG_OP = 'UPDATE' THEN
        DELETE FROM device_group_matches WHERE group_id = NEW.id;
    END IF;
    INSERT INTO device_group_matches (group_id, device_id)
        SELECT group_id, device_id FROM device_group_match_pairs WHERE group_id = NEW.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER device_groups_matches AFTER INSERT OR UPDATE OF match_hostname, match_os ON device_groups
    FOR EACH ROW EXECUTE FUNCTION device_group_matches_of_group();
