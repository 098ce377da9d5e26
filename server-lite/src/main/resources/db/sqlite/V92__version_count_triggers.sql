-- The SQLite triggers that keep the counts of db/migration/V91__version_counts.sql (see there).
-- A live device counts; a deleted one (deleted_at set) does not.
CREATE TRIGGER devices_version_counts_insert AFTER INSERT ON devices
    WHEN NEW.deleted_at IS NULL
BEGIN
    INSERT OR IGNORE INTO device_agent_version_counts (agent_version, n) VALUES (COALESCE(NEW.agent_version, ''), 0);
    UPDATE device_agent_version_counts SET n = n + 1 WHERE agent_version = COALESCE(NEW.agent_version, '');
    INSERT OR IGNORE INTO device_os_version_counts (os, os_version, n) VALUES (NEW.os, COALESCE(NEW.os_version, ''), 0);
    UPDATE device_os_version_counts SET n = n + 1 WHERE os = NEW.os AND os_version = COALESCE(NEW.os_version, '');
END;

CREATE TRIGGER devices_version_counts_delete AFTER DELETE ON devices
    WHEN OLD.deleted_at IS NULL
BEGIN
    UPDATE device_agent_version_counts SET n = n - 1 WHERE agent_version = COALESCE(OLD.agent_version, '');
    UPDATE device_os_version_counts SET n = n - 1 WHERE os = OLD.os AND os_version = COALESCE(OLD.os_version, '');
END;

-- Only when a counted value or liveness changes: an unchanged check-in writes no count.
CREATE TRIGGER devices_version_counts_update AFTER UPDATE OF agent_version, os, os_version, deleted_at ON devices
    WHEN OLD.agent_version IS NOT NEW.agent_version OR OLD.os IS NOT NEW.os OR OLD.os_version IS NOT NEW.os_version
        OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL)
BEGIN
    UPDATE device_agent_version_counts SET n = n - 1
        WHERE OLD.deleted_at IS NULL AND agent_version = COALESCE(OLD.agent_version, '');
    UPDATE device_os_version_counts SET n = n - 1
        WHERE OLD.deleted_at IS NULL AND os = OLD.os AND os_version = COALESCE(OLD.os_version, '');
    INSERT OR IGNORE INTO device_agent_version_counts (agent_version, n)
        SELECT COALESCE(NEW.agent_version, ''), 0 WHERE NEW.deleted_at IS NULL;
    UPDATE device_agent_version_counts SET n = n + 1
        WHERE NEW.deleted_at IS NULL AND agent_version = COALESCE(NEW.agent_version, '');
    INSERT OR IGNORE INTO device_os_version_counts (os, os_version, n)
        SELECT NEW.os, COALESCE(NEW.os_version, ''), 0 WHERE NEW.deleted_at IS NULL;
    UPDATE device_os_version_counts SET n = n + 1
        WHERE NEW.deleted_at IS NULL AND os = NEW.os AND os_version = COALESCE(NEW.os_version, '');
END;
