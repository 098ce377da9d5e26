package org.castellan.server.rotation;

import com.fasterxml.jackson.core.JsonProcessingException;
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

public final class SqlRotationStore implements RotationStore {

    @Override
    public void insertPending(Connection c, Rotation r) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO rotations (id, device_id, account, state,"
                + " vault_key_id, envelope, escrowed_at) VALUES (?, ?, ?, 'pending', ?, ?, ?)")) {
            Rows.bind(st, r.id(), r.deviceId(), r.account(), r.envelope().keyId(), toJson(r.envelope()),
                    r.escrowedAt()).executeUpdate();
        }
    }

    @Override
    public Optional<Rotation> byId(Connection c, String deviceId, String id) throws SQLException {
        List<Rotation> found = query(c, "SELECT * FROM rotations WHERE device_id = ? AND id = ?", deviceId, id);
        return found.stream().findFirst();
    }

    @Override
    public Optional<Rotation> current(Connection c, String deviceId) throws SQLException {
        return query(c, "SELECT * FROM rotations WHERE device_id = ? AND state = 'committed'"
                + " ORDER BY committed_at DESC LIMIT 1", deviceId).stream().findFirst();
    }

    @Override
    public List<Rotation> pending(Connection c, String deviceId) throws SQLException {
        return query(c, "SELECT * FROM rotations WHERE device_id = ? AND state = 'pending'"
                + " ORDER BY escrowed_at DESC, id", deviceId);
    }

    @Override
    public List<Rotation> history(Connection c, String deviceId) throws SQLException {
        return query(c, "SELECT * FROM rotations WHERE device_id = ? ORDER BY escrowed_at DESC, id", deviceId);
    }

    @Override
    public void commit(Connection c, Rotation r, Instant at, Instant expiresAt) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE rotations SET state = 'superseded'"
                + " WHERE device_id = ? AND id <> ? AND (state = 'committed'"
                + " OR (state = 'pending' AND escrowed_at <= ?))")) {
            Rows.bind(st, r.deviceId(), r.id(), r.escrowedAt()).executeUpdate();
        }
        try (PreparedStatement st = c.prepareStatement("UPDATE rotations SET state = 'committed',"
                + " committed_at = ?, expires_at = ? WHERE device_id = ? AND id = ?")) {
            Rows.bind(st, at, expiresAt, r.deviceId(), r.id()).executeUpdate();
        }
    }

    @Override
    public void markRead(Connection c, String deviceId, String id, Instant at) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "UPDATE rotations SET read_at = ? WHERE device_id = ? AND id = ? AND read_at IS NULL")) {
            Rows.bind(st, at, deviceId, id).executeUpdate();
        }
    }

    @Override
    public void expire(Connection c, String deviceId, String id, Instant expiresAt) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "UPDATE rotations SET expires_at = ? WHERE device_id = ? AND id = ?")) {
            Rows.bind(st, expiresAt, deviceId, id).executeUpdate();
        }
    }

    @Override
    public int purgeHistory(Connection c, String deviceId, int keep, Instant keepSince) throws SQLException {
        // Current (committed) and pending rotations are never history: only superseded/aborted go.
        try (PreparedStatement st = c.prepareStatement("DELETE FROM rotations WHERE device_id = ?"
                + " AND state IN ('superseded', 'aborted') AND escrowed_at < ? AND id NOT IN ("
                + " SELECT id FROM rotations WHERE device_id = ? AND state IN ('superseded', 'aborted')"
                + " ORDER BY escrowed_at DESC, id LIMIT ?)")) {
            return Rows.bind(st, deviceId, keepSince, deviceId, keep).executeUpdate();
        }
    }

    @Override
    public void abort(Connection c, String deviceId, String id, Instant at, String detail) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE rotations SET state = 'aborted',"
                + " aborted_at = ?, detail = ? WHERE device_id = ? AND id = ?")) {
            Rows.bind(st, at, detail, deviceId, id).executeUpdate();
        }
    }

    private static List<Rotation> query(Connection c, String sql, Object... params) throws SQLException {
        List<Rotation> rotations = new ArrayList<>();
        try (PreparedStatement st = Rows.bind(c.prepareStatement(sql), params);
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                rotations.add(new Rotation(rs.getString("id"), rs.getString("device_id"), rs.getString("account"),
                        rs.getString("state"), fromJson(rs.getString("envelope")), Rows.instant(rs, "escrowed_at"),
                        Rows.instant(rs, "committed_at"), Rows.instant(rs, "aborted_at"),
                        Rows.instant(rs, "expires_at"), rs.getString("detail")));
            }
        }
        return rotations;
    }

    static String toJson(Envelope envelope) {
        try {
            return Json.mapper().writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode envelope", e);
        }
    }

    private static Envelope fromJson(String json) {
        try {
            return Json.mapper().readValue(json, Envelope.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored envelope is damaged", e);
        }
    }
}
