-- Account options of a policy (what the agent may do to make the account manageable). All off by
-- default, which is what agents did before these existed.
ALTER TABLE policies ADD COLUMN create_account INTEGER NOT NULL DEFAULT 0;
ALTER TABLE policies ADD COLUMN ensure_admin INTEGER NOT NULL DEFAULT 0;
ALTER TABLE policies ADD COLUMN enable_account INTEGER NOT NULL DEFAULT 0;
ALTER TABLE policies ADD COLUMN remove_keychain_after_reset INTEGER NOT NULL DEFAULT 0;
