-- The fleet's agent and OS versions, counted as devices change (issue 13, item 4): the admin's
-- version reports read these few rows instead of grouping every live device on each page view.
-- Kept by triggers on devices, so no code path (registration, check-in, deletion, restore, purge,
-- a copy into PostgreSQL) can forget them. NULL versions are counted under '' (a primary key
-- column cannot hold NULL on PostgreSQL); the reader turns '' back into NULL. A count that
-- falls to 0 keeps its row (the reader skips it) so a version coming back needs no insert race.
-- The tables and their backfill are portable (afterEachMigrate makes the INTEGERs BIGINT on
-- PostgreSQL); the triggers that keep them are per vendor, in db/sqlite and db/postgresql V92.
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

