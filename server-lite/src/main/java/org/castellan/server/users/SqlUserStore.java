package org.castellan.server.users;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.castellan.server.db.Rows;

public final class SqlUserStore implements UserStore {

    @Override
    public long countUsers(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT COUNT(*) FROM users");
             ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void insertUser(Connection c, String id, String name, boolean admin, Instant now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "INSERT INTO users (id, name, admin, created_at) VALUES (?, ?, ?, ?)")) {
            Rows.bind(st, id, name, admin, now).executeUpdate();
        }
    }

    @Override
    public void insertToken(Connection c, String id, String userId, String name, String tokenHash,
                            Instant now, Instant expiresAt) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO api_tokens"
                + " (id, user_id, name, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            Rows.bind(st, id, userId, name, tokenHash, now, expiresAt).executeUpdate();
        }
    }

    @Override
    public Optional<Principal> principalForToken(Connection c, String tokenHash, Instant now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT u.id, u.name, u.admin, t.id AS token_id"
                + " FROM api_tokens t JOIN users u ON u.id = t.user_id"
                + " WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled_at IS NULL"
                + " AND (t.expires_at IS NULL OR t.expires_at > ?)")) {
            Rows.bind(st, tokenHash, now);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Principal(rs.getString("id"), rs.getString("name"),
                        rs.getInt("admin") == 1, rs.getString("token_id")));
            }
        }
    }
}
