#!/usr/bin/env bash
# The scoped-list and scoped-count queries before and after V93 (device_group_matches), on a
# throwaway SQLite file of 1,000,000 devices with the columns those queries read (every tenth a
# web-NNNNNNN; "g-web" = web-*, 100,000 devices; "g-lab" = web-09999*, 10 devices). Prints
# each query's wall time in seconds, three runs. Needs sqlite3 (apt-get install sqlite3). See docs/performance.md.
set -euo pipefail
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
sqlite3 "$dir/s.db" > /dev/null <<'EOF'
PRAGMA journal_mode=WAL;
CREATE TABLE devices (id TEXT PRIMARY KEY, hostname TEXT NOT NULL, os TEXT NOT NULL, public_key TEXT, deleted_at INTEGER, last_seen_at INTEGER, os_version TEXT, agent_version TEXT);
CREATE TABLE device_groups (id TEXT PRIMARY KEY, match_hostname TEXT, match_os TEXT);
CREATE TABLE device_group_matches (group_id TEXT NOT NULL, device_id TEXT NOT NULL, PRIMARY KEY (group_id, device_id));
CREATE INDEX device_group_matches_device ON device_group_matches (device_id);
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i+1 FROM n WHERE i < 999999)
INSERT INTO devices (id, hostname, os, public_key, last_seen_at, agent_version) SELECT printf('%08x-0000-4000-8000-%012x', i, i), CASE WHEN i % 10 = 0 THEN printf('web-%07d', i) ELSE printf('host-%07d', i) END, 'linux', 'seed-key-' || i, i, '1.' || (i % 5) FROM n;
INSERT INTO device_group_matches SELECT 'g-web', id FROM devices WHERE lower(hostname) LIKE 'web-%';
INSERT INTO device_group_matches SELECT 'g-lab', id FROM devices WHERE lower(hostname) LIKE 'web-09999%';
ANALYZE;
EOF
cat > "$dir/q.sql" <<'EOF'
.timer on
.output /dev/null
-- before: walk the fleet testing the pattern (10-device group)
SELECT * FROM devices WHERE deleted_at IS NULL AND id > '' AND (lower(hostname) LIKE lower('web-09999%') ESCAPE '\') ORDER BY id LIMIT 101;
-- after: one arm from the kept rows
SELECT * FROM (SELECT d.* FROM device_group_matches m JOIN devices d ON d.id = m.device_id WHERE m.group_id = 'g-lab' AND m.device_id > '' AND d.deleted_at IS NULL ORDER BY m.device_id LIMIT 101) a0 ORDER BY id LIMIT 101;
-- before: web-* first page
SELECT * FROM devices WHERE deleted_at IS NULL AND id > '' AND (lower(hostname) LIKE lower('web-%') ESCAPE '\') ORDER BY id LIMIT 101;
-- after: web-* first page
SELECT * FROM (SELECT d.* FROM device_group_matches m JOIN devices d ON d.id = m.device_id WHERE m.group_id = 'g-web' AND m.device_id > '' AND d.deleted_at IS NULL ORDER BY m.device_id LIMIT 101) a0 ORDER BY id LIMIT 101;
-- before: scoped count (web-*)
SELECT agent_version, count(*) FROM devices d WHERE deleted_at IS NULL AND (lower(hostname) LIKE 'web-%' ESCAPE '\') GROUP BY agent_version;
-- after: scoped count (web-*)
SELECT agent_version, count(*) FROM devices d WHERE deleted_at IS NULL AND d.id IN (SELECT device_id FROM device_group_matches WHERE group_id IN ('g-web')) GROUP BY agent_version;
-- before/after: scoped count of the 10-device group
SELECT agent_version, count(*) FROM devices d WHERE deleted_at IS NULL AND (lower(hostname) LIKE 'web-09999%' ESCAPE '\') GROUP BY agent_version;
SELECT agent_version, count(*) FROM devices d WHERE deleted_at IS NULL AND d.id IN (SELECT device_id FROM device_group_matches WHERE group_id IN ('g-lab')) GROUP BY agent_version;
EOF
for run in 1 2 3; do
    sqlite3 "$dir/s.db" < "$dir/q.sql" 2>&1 | awk '/^Run Time/ {printf "%s ", $4} END {print ""}'
done
