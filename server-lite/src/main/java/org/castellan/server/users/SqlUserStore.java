package org.castellan.server.users;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.castellan.server.db.Rows;

public final class SqlUserStore implements UserStore {
    private static final String TOKEN_COLUMNS = "id, user_id, name, created_at, expires_at, last_used_at, revoked_at";

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
        insertUser(c, id, name, admin, null, now);
    }

    @Override
    public void insertUser(Connection c, String id, String name, boolean admin, String passwordHash, Instant now)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "INSERT INTO users (id, name, admin, password_hash, created_at) VALUES (?, ?, ?, ?, ?)")) {
            Rows.bind(st, id, name, admin, passwordHash, now).executeUpdate();
        }
    }

    @Override
    public Optional<User> byId(Connection c, String id) throws SQLException {
        return users(c, "SELECT * FROM users WHERE id = ?", id).stream().findFirst();
    }

    @Override
    public Optional<User> byName(Connection c, String name) throws SQLException {
        return users(c, "SELECT * FROM users WHERE name = ?", name).stream().findFirst();
    }

    @Override
    public List<User> page(Connection c, String afterId, int limit) throws SQLException {
        return users(c, "SELECT * FROM users WHERE id > ? ORDER BY id LIMIT ?", afterId == null ? "" : afterId, limit);
    }

    @Override
    public void setDisabled(Connection c, String id, Instant at) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE users SET disabled_at = ? WHERE id = ?")) {
            Rows.bind(st, at, id).executeUpdate();
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
    public List<Token> tokens(Connection c, String userId) throws SQLException {
        return tokens(c, "SELECT " + TOKEN_COLUMNS + " FROM api_tokens WHERE user_id = ? ORDER BY created_at, id", userId);
    }

    @Override
    public List<Token> tokenPage(Connection c, String userId, String afterId, int limit) throws SQLException {
        // Keyset on api_tokens_user (user_id, id): a range search from the cursor, never the whole table.
        return tokens(c, "SELECT " + TOKEN_COLUMNS + " FROM api_tokens WHERE user_id = ? AND id > ? ORDER BY id LIMIT ?",
                userId, afterId == null ? "" : afterId, limit);
    }

    @Override
    public Optional<Token> tokenById(Connection c, String id) throws SQLException {
        return tokens(c, "SELECT " + TOKEN_COLUMNS + " FROM api_tokens WHERE id = ?", id).stream().findFirst();
    }

    @Override
    public Optional<Token> tokenByHash(Connection c, String tokenHash) throws SQLException {
        return tokens(c, "SELECT " + TOKEN_COLUMNS + " FROM api_tokens WHERE token_hash = ?", tokenHash).stream().findFirst();
    }

    @Override
    public void revokeToken(Connection c, String id, Instant at) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
            Rows.bind(st, at, id).executeUpdate();
        }
    }

    @Override
    public void touchToken(Connection c, String id, Instant at) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE api_tokens SET last_used_at = ? WHERE id = ?")) {
            Rows.bind(st, at, id).executeUpdate();
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

    private static List<User> users(Connection c, String sql, Object... params) throws SQLException {
        List<User> out = new ArrayList<>();
        try (PreparedStatement st = Rows.bind(c.prepareStatement(sql), params); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(new User(rs.getString("id"), rs.getString("name"), rs.getInt("admin") == 1,
                        rs.getString("password_hash"), Rows.instant(rs, "created_at"), Rows.instant(rs, "disabled_at")));
            }
        }
        return out;
    }

    private static List<Token> tokens(Connection c, String sql, Object... params) throws SQLException {
        List<Token> out = new ArrayList<>();
        try (PreparedStatement st = Rows.bind(c.prepareStatement(sql), params); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(new Token(rs.getString("id"), rs.getString("user_id"), rs.getString("name"),
                        Rows.instant(rs, "created_at"), Rows.instant(rs, "expires_at"),
                        Rows.instant(rs, "last_used_at"), Rows.instant(rs, "revoked_at")));
            }
        }
        return out;
    }
}
