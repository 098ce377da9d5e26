package org.castellan.server.users;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.castellan.server.db.Rows;

/**
 * Web console sessions. The browser holds a random secret; this table holds its SHA-256
 * ({@link Tokens#hash}), so a copy of the database opens no session. A session is live while not
 * ended, before its absolute expiry, and seen within the idle timeout.
 */
public final class SqlWebSessionStore {
    public static final String SECOND_FACTOR = "second-factor";
    public static final String SIGNED_IN = "signed-in";

    /** A live session and its user. {@code secondFactorAt}: when a second factor was last shown (null: never). */
    public record WebSession(String id, String userId, String userName, boolean admin, String stage,
                             Instant createdAt, Instant expiresAt, Instant secondFactorAt) {
        public Principal principal() {
            return new Principal(userId, userName, admin, id);
        }
    }

    public void insert(Connection c, String id, String secretHash, String userId, String stage, Instant now,
                       Instant expiresAt, Instant secondFactorAt) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO web_sessions (id, secret_hash, user_id, stage,"
                + " created_at, last_seen_at, expires_at, second_factor_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            Rows.bind(st, id, secretHash, userId, stage, now, now, expiresAt, null);
            Rows.setInstant(st, 8, secondFactorAt);
            st.executeUpdate();
        }
    }

    /** The live session with this secret hash, its user enabled; {@code idleSince}: last seen after this. */
    public Optional<WebSession> live(Connection c, String secretHash, Instant now, Instant idleSince)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT s.id, s.user_id, u.name, u.admin, s.stage,"
                + " s.created_at, s.expires_at, s.second_factor_at FROM web_sessions s JOIN users u ON u.id = s.user_id"
                + " WHERE s.secret_hash = ? AND s.ended_at IS NULL AND u.disabled_at IS NULL"
                + " AND s.expires_at > ? AND s.last_seen_at > ?")) {
            Rows.bind(st, secretHash, now, idleSince);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new WebSession(rs.getString("id"), rs.getString("user_id"), rs.getString("name"),
                        rs.getInt("admin") == 1, rs.getString("stage"), Rows.instant(rs, "created_at"),
                        Rows.instant(rs, "expires_at"), Rows.instant(rs, "second_factor_at")));
            }
        }
    }

    public void touch(Connection c, String id, Instant at) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE web_sessions SET last_seen_at = ? WHERE id = ?")) {
            Rows.bind(st, at, id).executeUpdate();
        }
    }

    /** The session showed its second factor again (a step-up) at {@code at}. */
    public void secondFactorShown(Connection c, String id, Instant at) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE web_sessions SET second_factor_at = ? WHERE id = ?")) {
            Rows.bind(st, at, id).executeUpdate();
        }
    }

    /** Ends every live session of the user (their second factor was reset); returns how many. */
    public int endAllOf(Connection c, String userId, Instant at) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "UPDATE web_sessions SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL")) {
            return Rows.bind(st, at, userId).executeUpdate();
        }
    }

    /** Ends the session (sign-out, or replaced by a new one at sign-in); true if it was live. */
    public boolean end(Connection c, String id, Instant at) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "UPDATE web_sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL")) {
            return Rows.bind(st, at, id).executeUpdate() == 1;
        }
    }
}
