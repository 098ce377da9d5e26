-- LUKS recovery passphrases (Linux): Castellan creates these keys itself, one key slot per
-- volume, escrowed as pending before the slot exists and committed once the slot is verified.
-- kind 'scanned' = reported by a full-set scan (BitLocker, FileVault); 'luks' = agent-created,
-- managed one key at a time (the full-set escrow leaves these rows alone).
ALTER TABLE recovery_keys ADD COLUMN kind TEXT NOT NULL DEFAULT 'scanned';
-- 1 while the slot may not exist yet (escrowed, not yet verified by the agent).
ALTER TABLE recovery_keys ADD COLUMN pending INTEGER NOT NULL DEFAULT 0;
-- Set when the key was read under a rotate-after-read rule: the agent replaces it from then on.
ALTER TABLE recovery_keys ADD COLUMN rotate_after INTEGER;

ALTER TABLE policies ADD COLUMN luks_enabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE policies ADD COLUMN luks_unlock_key_file TEXT NOT NULL DEFAULT '';
ALTER TABLE policies ADD COLUMN luks_max_age_days INTEGER NOT NULL DEFAULT 180;
