-- As V98 for device_group_matches, for a deleted group's explicit members: a registration key's
-- group can hold most of the fleet, and deleting it deleted every membership row in the admin's
-- transaction. The rows no longer reference device_groups (the device foreign key stays); the
-- group's id is already recorded in device_group_match_purges by V98's trigger, and
-- groups/DeviceGroupMatchFill deletes its members' rows with its match's, a bounded number a
-- write. Nothing reads them meanwhile: a device's explicit groups are read against the groups
-- that exist (DeviceGroupRow.asSeenBy), every other reader asks for ids of groups that exist.
CREATE TABLE device_group_members_v99 (
    group_id  TEXT NOT NULL,
    device_id TEXT NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, device_id)
);
INSERT INTO device_group_members_v99 (group_id, device_id) SELECT group_id, device_id FROM device_group_members;
DROP TABLE device_group_members;
ALTER TABLE device_group_members_v99 RENAME TO device_group_members;
CREATE INDEX device_group_members_device ON device_group_members (device_id);
