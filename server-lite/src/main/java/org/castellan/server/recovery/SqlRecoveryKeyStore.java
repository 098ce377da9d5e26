package org.castellan.server.recovery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.castellan.protocol.Json;
import org.castellan.protocol.envelope.Envelope;
import org.castellan.server.db.Rows;

/** {@link RecoveryKeyStore} on plain JDBC (tables from V30__recovery_keys.sql, V32__luks_keys.sql). */
public final class SqlRecoveryKeyStore implements RecoveryKeyStore {
    private static final String CURRENT_FIRST = " ORDER BY (removed_at IS NOT NULL), escrowed_at DESC, id";

    @Override
    public List<RecoveryKeyRecord> current(Connection c, String deviceId) throws SQLException {
        return query(c, "SELECT * FROM recovery_keys WHERE device_id = ? AND removed_at IS NULL"
                + " ORDER BY volume_id, protector_id", deviceId);
    }

    @Override
    public List<RecoveryKeyRecord> all(Connection c, String deviceId) throws SQLException {
        return query(c, "SELECT * FROM recovery_keys WHERE device_id = ?" + CURRENT_FIRST, deviceId);
    }

    @Override
    public List<RecoveryKeyRecord> byKeyIdPrefix(Connection c, String hexPrefix) throws SQLException {
        // A range on recovery_keys_key_id (every lowercase hex id with the prefix lies in [prefix,
        // prefix + "g"): a search of the index, not a scan of every key; the substr comparison keeps
        // the match exact and case-sensitive on the stored lowercase hex whatever the collation.
        return query(c, "SELECT * FROM recovery_keys WHERE key_id_hex >= ? AND key_id_hex < ?"
                + " AND substr(key_id_hex, 1, ?) = ? ORDER BY device_id, (removed_at IS NOT NULL), escrowed_at DESC, id",
                hexPrefix, hexPrefix + "g", hexPrefix.length(), hexPrefix);
    }

    @Override
    public void insert(Connection c, RecoveryKeyRecord k) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO recovery_keys (id, device_id, volume_id,"
                + " volume_label, protector_id, key_id_hex, vault_key_id, envelope, escrowed_at, removed_at, kind,"
                + " pending) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            Rows.bind(st, k.id(), k.deviceId(), k.volumeId(), k.volumeLabel(), k.protectorId(),
                    KeyIds.hex(k.protectorId()), k.envelope().keyId(), toJson(k.envelope()), k.escrowedAt(),
                    k.removedAt(), k.kind(), k.pending() ? 1 : 0).executeUpdate();
        }
    }

    @Override
    public void markRemoved(Connection c, String id, Instant at) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "UPDATE recovery_keys SET removed_at = ? WHERE id = ? AND removed_at IS NULL")) {
            Rows.bind(st, at, id).executeUpdate();
        }
    }

    @Override
    public List<String> devicesWithKeysRemovedBefore(Connection c, Instant cutoff) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement st = Rows.bind(c.prepareStatement("SELECT DISTINCT device_id FROM recovery_keys"
                + " WHERE removed_at IS NOT NULL AND removed_at <= ? ORDER BY device_id"), cutoff);
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    @Override
    public int purgeRemoved(Connection c, String deviceId, Instant cutoff) throws SQLException {
        if (cutoff == null) {
            try (PreparedStatement st = c.prepareStatement(
                    "DELETE FROM recovery_keys WHERE device_id = ? AND removed_at IS NOT NULL")) {
                return Rows.bind(st, deviceId).executeUpdate();
            }
        }
        try (PreparedStatement st = c.prepareStatement(
                "DELETE FROM recovery_keys WHERE device_id = ? AND removed_at IS NOT NULL AND removed_at <= ?")) {
            return Rows.bind(st, deviceId, cutoff).executeUpdate();
        }
    }

    @Override
    public void updateLabel(Connection c, String id, String volumeLabel) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE recovery_keys SET volume_label = ? WHERE id = ?")) {
            Rows.bind(st, volumeLabel, id).executeUpdate();
        }
    }

    @Override
    public Optional<RecoveryKeyRecord> byProtector(Connection c, String deviceId, String protectorId)
            throws SQLException {
        return query(c, "SELECT * FROM recovery_keys WHERE device_id = ? AND protector_id = ?" + CURRENT_FIRST,
                deviceId, protectorId).stream().findFirst();
    }

    @Override
    public void commit(Connection c, String id) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE recovery_keys SET pending = 0 WHERE id = ?")) {
            Rows.bind(st, id).executeUpdate();
        }
    }

    @Override
    public void requestRotation(Connection c, String deviceId, Instant at) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE recovery_keys SET rotate_after = ? WHERE device_id = ?"
                + " AND kind = 'luks' AND removed_at IS NULL AND (rotate_after IS NULL OR rotate_after > ?)")) {
            Rows.bind(st, at, deviceId, at).executeUpdate();
        }
    }

    @Override
    public List<String> dueForRotation(Connection c, String deviceId, Instant now) throws SQLException {
        List<String> due = new ArrayList<>();
        try (PreparedStatement st = Rows.bind(c.prepareStatement("SELECT protector_id FROM recovery_keys"
                + " WHERE device_id = ? AND kind = 'luks' AND removed_at IS NULL AND rotate_after IS NOT NULL"
                + " AND rotate_after <= ? ORDER BY protector_id"), deviceId, now);
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                due.add(rs.getString(1));
            }
        }
        return due;
    }

    @Override
    public void setUnprotectedVolumes(Connection c, String deviceId, List<String> volumes, Instant at)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO recovery_unprotected_volumes"
                + " (device_id, volumes, reported_at) VALUES (?, ?, ?) ON CONFLICT (device_id)"
                + " DO UPDATE SET volumes = excluded.volumes, reported_at = excluded.reported_at")) {
            Rows.bind(st, deviceId, toJson(volumes), at).executeUpdate();
        }
    }

    @Override
    public List<String> unprotectedVolumes(Connection c, String deviceId) throws SQLException {
        try (PreparedStatement st = Rows.bind(c.prepareStatement(
                "SELECT volumes FROM recovery_unprotected_volumes WHERE device_id = ?"), deviceId);
             ResultSet rs = st.executeQuery()) {
            if (!rs.next()) {
                return List.of();
            }
            try {
                return List.copyOf(Json.mapper().readValue(rs.getString("volumes"), new TypeReference<List<String>>() {}));
            } catch (JsonProcessingException e) {
                throw new SQLException("unprotected volumes of device " + deviceId + " are not a JSON list", e);
            }
        }
    }

    private static List<RecoveryKeyRecord> query(Connection c, String sql, Object... params) throws SQLException {
        List<RecoveryKeyRecord> keys = new ArrayList<>();
        try (PreparedStatement st = Rows.bind(c.prepareStatement(sql), params); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                keys.add(new RecoveryKeyRecord(rs.getString("id"), rs.getString("device_id"), rs.getString("volume_id"),
                        rs.getString("volume_label"), rs.getString("protector_id"),
                        fromJson(rs.getString("envelope"), rs.getString("id")), Rows.instant(rs, "escrowed_at"),
                        Rows.instant(rs, "removed_at"), rs.getString("kind"), rs.getInt("pending") == 1));
            }
        }
        return keys;
    }

    private static String toJson(Object value) throws SQLException {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new SQLException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    private static Envelope fromJson(String json, String id) throws SQLException {
        try {
            return Json.mapper().readValue(json, Envelope.class);
        } catch (JsonProcessingException e) {
            throw new SQLException("stored envelope of recovery key " + id + " is not valid JSON", e);
        }
    }
}
