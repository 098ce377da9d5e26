-- Deleting a device leaves a tombstone (deleted_at set): it leaves the lists, its agent is
-- refused, and its passwords and recovery keys stay revealable (audited) until the retention job
-- or an administrator's explicit purge removes them with the row. Epoch milliseconds.
ALTER TABLE devices ADD COLUMN deleted_at INTEGER;
CREATE INDEX devices_deleted ON devices (deleted_at);
-- Removed recovery keys (removed_at set) are purged the same way after the retention period.
CREATE INDEX recovery_keys_removed ON recovery_keys (removed_at);
