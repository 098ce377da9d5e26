-- PostgreSQL version of db/sqlite/V99: a deleted group's explicit members are purged after it
-- (groups/DeviceGroupMatchFill), so their rows no longer reference device_groups.
DO $$
DECLARE
    fk text;
BEGIN
    SELECT conname INTO fk FROM pg_constraint
        WHERE conrelid = 'device_group_members'::regclass AND confrelid = 'device_groups'::regclass AND contype = 'f';
    EXECUTE format('ALTER TABLE device_group_members DROP CONSTRAINT %I', fk);
END
$$;
