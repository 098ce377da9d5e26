-- PostgreSQL version of db/sqlite/V98: a deleted device group's rows of device_group_matches
-- are purged after it in bounded writes (groups/DeviceGroupMatchFill), not by the foreign key's
-- cascade in the admin's transaction. The rows no longer reference device_groups (the device
-- foreign key stays); a group's delete records its id in device_group_match_purges.
DO $$
DECLARE
    fk text;
BEGIN
    SELECT conname INTO fk FROM pg_constraint
        WHERE conrelid = 'device_group_matches'::regclass AND confrelid = 'device_groups'::regclass AND contype = 'f';
    EXECUTE format('ALTER TABLE device_group_matches DROP CONSTRAINT %I', fk);
END
$$;

CREATE TABLE device_group_match_purges (
    group_id TEXT PRIMARY KEY
);

CREATE FUNCTION device_group_match_purge_of_group() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO device_group_match_purges (group_id) VALUES (OLD.id) ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER device_groups_match_purge AFTER DELETE ON device_groups
    FOR EACH ROW EXECUTE FUNCTION device_group_match_purge_of_group();
