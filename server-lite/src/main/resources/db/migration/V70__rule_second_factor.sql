-- A rule can require a second factor shown within the last N minutes before a secret is read
-- (issue 12): TOTP at console sign-in or step-up, or the identity provider's MFA (amr/acr).
-- NULL: the rule asks for none. API tokens never carry a second factor.
ALTER TABLE rules ADD COLUMN require_second_factor_minutes INTEGER;
