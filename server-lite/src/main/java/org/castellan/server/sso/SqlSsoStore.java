package org.castellan.server.sso;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import org.castellan.server.db.Rows;

/** Sign-ins under way through the identity provider, and the users bound to its subjects. */
public final class SqlSsoStore {
    public static final Duration LOGIN_WINDOW = Duration.ofMinutes(10);

    /** {@code returnTo}: the console path to land on after the sign-in (null: the search page). */
    public record PendingLogin(String nonce, String verifier, String redirectUri, String returnTo) {}

    public void begin(Connection c, String stateHash, String browserHash, String nonce, String verifier,
                      String redirectUri, Instant now) throws SQLException {
        begin(c, stateHash, browserHash, nonce, verifier, redirectUri, null, now);
    }

    public void begin(Connection c, String stateHash, String browserHash, String nonce, String verifier,
                      String redirectUri, String returnTo, Instant now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO sso_logins (state_hash, browser_hash, nonce,"
                + " verifier, redirect_uri, created_at, return_to) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            Rows.bind(st, stateHash, browserHash, nonce, verifier, redirectUri, now, returnTo).executeUpdate();
        }
    }

    /** Deletes sign-ins started before {@code cutoff} (used or not: past the window they open nothing); returns how many. */
    public int purgeStartedBefore(Connection c, Instant cutoff) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("DELETE FROM sso_logins WHERE created_at < ?")) {
            return Rows.bind(st, cutoff).executeUpdate();
        }
    }

    /** Takes the sign-in for this state and browser if it is unused and fresh: it can be taken once. */
    public Optional<PendingLogin> take(Connection c, String stateHash, String browserHash, Instant now)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE sso_logins SET used_at = ? WHERE state_hash = ?"
                + " AND browser_hash = ? AND used_at IS NULL AND created_at > ?")) {
            if (Rows.bind(st, now, stateHash, browserHash, now.minus(LOGIN_WINDOW)).executeUpdate() != 1) {
                return Optional.empty();
            }
        }
        try (PreparedStatement st = Rows.bind(c.prepareStatement(
                "SELECT nonce, verifier, redirect_uri, return_to FROM sso_logins WHERE state_hash = ?"), stateHash);
             ResultSet rs = st.executeQuery()) {
            rs.next();
            return Optional.of(new PendingLogin(rs.getString("nonce"), rs.getString("verifier"),
                    rs.getString("redirect_uri"), rs.getString("return_to")));
        }
    }

    public Optional<String> userFor(Connection c, String issuer, String subject) throws SQLException {
        try (PreparedStatement st = Rows.bind(c.prepareStatement(
                "SELECT user_id FROM user_identities WHERE issuer = ? AND subject = ?"), issuer, subject);
             ResultSet rs = st.executeQuery()) {
            return rs.next() ? Optional.of(rs.getString("user_id")) : Optional.empty();
        }
    }

    public void bind(Connection c, String issuer, String subject, String userId, Instant now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "INSERT INTO user_identities (issuer, subject, user_id, created_at) VALUES (?, ?, ?, ?)")) {
            Rows.bind(st, issuer, subject, userId, now).executeUpdate();
        }
    }

    /**
     * The user's memberships become exactly the Castellan user groups named in {@code groupNames}
     * (the identity provider manages an SSO user's groups); returns the names that matched a group.
     */
    public java.util.List<String> syncGroups(Connection c, String userId, Collection<String> groupNames)
            throws SQLException {
        try (PreparedStatement st = Rows.bind(c.prepareStatement("DELETE FROM user_group_members WHERE user_id = ?"),
                userId)) {
            st.executeUpdate();
        }
        java.util.List<String> matched = new java.util.ArrayList<>();
        for (String name : new java.util.TreeSet<>(groupNames)) {
            try (PreparedStatement st = Rows.bind(c.prepareStatement("SELECT id FROM user_groups WHERE name = ?"), name);
                 ResultSet rs = st.executeQuery()) {
                if (rs.next()) {
                    try (PreparedStatement add = Rows.bind(c.prepareStatement(
                            "INSERT INTO user_group_members (group_id, user_id) VALUES (?, ?)"), rs.getString("id"), userId)) {
                        add.executeUpdate();
                    }
                    matched.add(name);
                }
            }
        }
        return matched;
    }
}
