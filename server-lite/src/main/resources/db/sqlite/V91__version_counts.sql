-- The fleet's agent and OS versions, counted as devices change (issue 13, item 4): the admin's
-- version reports read these few rows instead of grouping every live device on each page view.
-- Kept by triggers on devices, so no code path (registration, check-in, deletion, restore, purge,
-- a copy into PostgreSQL) can forget them. NULL versions are counted under '' (a primary key
-- column cannot hold NULL on PostgreSQL); the reader turns '' back into NULL. A count that
-- falls to 0 keeps its row (the reader skips it) so a version coming back needs no insert race.
-- PostgreSQL has the same tables and triggers in db/postgresql/V91__version_counts.sql.
CREATE TABLE device_agent_version_counts (
    agent_version TEXT    NOT NULL PRIMARY KEY,
    n             INTEGER NOT NULL
);
CREATE TABLE device_os_version_counts (
    os         TEXT    NOT NULL,
    os_version TEXT    NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (os, os_version)
);

INSERT INTO device_agent_version_counts (agent_version, n)
    SELECT COALESCE(agent_version, ''), COUNT(*) FROM devices WHERE deleted_at IS NULL
    GROUP BY COALESCE(agent_version, '');
INSERT INTO device_os_version_counts (os, os_version, n)
    SELECT os, COALESCE(os_version, ''), COUNT(*) FROM devices WHERE deleted_at IS NULL
    GROUP BY os, COALESCE(os_version, '');

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
