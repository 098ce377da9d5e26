-- PostgreSQL version of db/sqlite/V92__version_count_triggers.sql (see db/migration/V91 for why): the fleet's agent
-- and OS versions counted by a trigger on devices. Two devices moving between the same versions in
-- opposite directions at the same moment could deadlock on the two count rows; PostgresDatabase
-- retries a transaction that lost a deadlock, as it retries a serialization failure.
CREATE FUNCTION devices_version_counts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_live BOOLEAN := TG_OP <> 'INSERT' AND OLD.deleted_at IS NULL;
    new_live BOOLEAN := TG_OP <> 'DELETE' AND NEW.deleted_at IS NULL;
    changed BOOLEAN := TG_OP <> 'UPDATE' OR old_live <> new_live
        OR OLD.agent_version IS DISTINCT FROM NEW.agent_version OR OLD.os IS DISTINCT FROM NEW.os
        OR OLD.os_version IS DISTINCT FROM NEW.os_version;
BEGIN
    -- Only when a counted value or liveness changes: an unchanged check-in writes no count.
    IF NOT changed THEN
        RETURN NULL;
    END IF;
    IF old_live THEN
        UPDATE device_agent_version_counts SET n = n - 1 WHERE agent_version = COALESCE(OLD.agent_version, '');
        UPDATE device_os_version_counts SET n = n - 1 WHERE os = OLD.os AND os_version = COALESCE(OLD.os_version, '');
    END IF;
    IF new_live THEN
        INSERT INTO device_agent_version_counts AS t (agent_version, n) VALUES (COALESCE(NEW.agent_version, ''), 1)
            ON CONFLICT (agent_version) DO UPDATE SET n = t.n + 1;
        INSERT INTO device_os_version_counts AS t (os, os_version, n) VALUES (NEW.os, COALESCE(NEW.os_version, ''), 1)
            ON CONFLICT (os, os_version) DO UPDATE SET n = t.n + 1;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER devices_version_counts AFTER INSERT OR DELETE OR UPDATE OF agent_version, os, os_version, deleted_at
    ON devices FOR EACH ROW EXECUTE FUNCTION devices_version_counts();
