package org.castellan.server.registration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.castellan.server.db.JsonColumns;
import org.castellan.server.db.Rows;

public final class SqlRegistrationKeyStore implements RegistrationKeyStore {
    private static final String COLUMNS = "id, name, max_uses, uses, expires_at, group_name, created_at, revoked_at,"
            + " require_approval, device_groups";

    @Override
    public void insert(Connection c, RegistrationKey key, String keyHash, String createdBy) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO registration_keys"
                + " (id, name, key_hash, max_uses, uses, expires_at, group_name, created_by, created_at,"
                + " require_approval, device_groups) VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?)")) {
            Rows.bind(st, key.id(), key.name(), keyHash, key.maxUses(), key.expiresAt(), key.group(),
                    createdBy, key.createdAt(), key.requireApproval(), JsonColumns.write(key.groups())).executeUpdate();
        }
    }

    @Override
    public List<RegistrationKey> list(Connection c) throws SQLException {
        List<RegistrationKey> keys = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS + " FROM registration_keys ORDER BY created_at, id");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                keys.add(map(rs));
            }
        }
        return keys;
    }

    @Override
    public List<RegistrationKey> page(Connection c, Instant afterCreatedAt, String afterId, int limit) throws SQLException {
        // Keyset on registration_keys_created (created_at, id): the first conjunct is the index range
        // from the cursor, the second drops the cursor's own time's keys up to its id. The first page
        // has the same plan (a bound below every time).
        long after = afterCreatedAt == null ? Long.MIN_VALUE : afterCreatedAt.toEpochMilli();
        List<RegistrationKey> keys = new ArrayList<>();
        try (PreparedStatement st = Rows.bind(c.prepareStatement("SELECT " + COLUMNS + " FROM registration_keys"
                        + " WHERE created_at >= ? AND (created_at > ? OR id > ?) ORDER BY created_at, id LIMIT ?"),
                after, after, afterId == null ? "" : afterId, limit);
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                keys.add(map(rs));
            }
        }
        return keys;
    }

    @Override
    public Optional<RegistrationKey> byId(Connection c, String id) throws SQLException {
        return one(c, "id", id);
    }

    @Override
    public Optional<RegistrationKey> byHash(Connection c, String keyHash) throws SQLException {
        return one(c, "key_hash", keyHash);
    }

    @Override
    public void revoke(Connection c, String id, Instant at) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "UPDATE registration_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
            Rows.bind(st, at, id).executeUpdate();
        }
    }

    @Override
    public boolean countUse(Connection c, String id) throws SQLException {
        // One conditional UPDATE, not read-then-write: on PostgreSQL a concurrent registration on
        // another node waits for this row and re-checks the condition, so max_uses holds across nodes.
        try (PreparedStatement st = c.prepareStatement(
                "UPDATE registration_keys SET uses = uses + 1 WHERE id = ? AND (max_uses IS NULL OR uses < max_uses)")) {
            return Rows.bind(st, id).executeUpdate() == 1;
        }
    }

    private Optional<RegistrationKey> one(Connection c, String column, String value) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS + " FROM registration_keys WHERE " + column + " = ?")) {
            Rows.bind(st, value);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    private static RegistrationKey map(ResultSet rs) throws SQLException {
        return new RegistrationKey(rs.getString("id"), rs.getString("name"), Rows.integer(rs, "max_uses"),
                rs.getInt("uses"), Rows.instant(rs, "expires_at"), rs.getString("group_name"),
                Rows.instant(rs, "created_at"), Rows.instant(rs, "revoked_at"),
                rs.getInt("require_approval") == 1, JsonColumns.read(rs.getString("device_groups")));
    }
}
