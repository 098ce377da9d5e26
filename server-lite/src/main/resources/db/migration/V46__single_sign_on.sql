-- Console single sign-on (OpenID Connect). A user signed in through the identity provider is bound
-- to its issuer and subject ("sub"), never to an e-mail address or a name.
CREATE TABLE user_identities (
    issuer     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    user_id    TEXT NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (issuer, subject)
);

-- A sign-in on its way through the identity provider: its state (SHA-256), the browser it belongs
-- to (SHA-256 of a cookie), the nonce and PKCE verifier; good for ten minutes, and once.
CREATE TABLE sso_logins (
    state_hash   TEXT PRIMARY KEY,
    browser_hash TEXT NOT NULL,
    nonce        TEXT NOT NULL,
    verifier     TEXT NOT NULL,
    redirect_uri TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    used_at      INTEGER
);
