-- Where a console page sent the browser to sign in again through the identity provider (a
-- step-up before a reveal a rule guards with a second factor): the console path it returns to.
-- NULL: the search page. Old rows (sso_logins live ten minutes) are purged by the leader node.
ALTER TABLE sso_logins ADD COLUMN return_to TEXT;
CREATE INDEX sso_logins_created ON sso_logins (created_at);
