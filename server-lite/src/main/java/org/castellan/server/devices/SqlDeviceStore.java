package org.castellan.server.devices;

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
import org.castellan.server.db.Rows;

public final class SqlDeviceStore implements DeviceStore {
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

    @Override
    public void insert(Connection c, Device d, String registrationKeyId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO devices (id, hostname, os, os_version,"
                + " agent_version, public_key, warnings, registration_key_id, registered_at, approved_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            Rows.bind(st, d.id(), d.hostname(), d.os(), d.osVersion(), d.agentVersion(), d.publicKey(),
                    toJson(d.warnings()), registrationKeyId, d.registeredAt(), d.approvedAt()).executeUpdate();
        }
    }

    @Override
    public Optional<Device> byId(Connection c, String id) throws SQLException {
        try (PreparedStatement st = Rows.bind(c.prepareStatement("SELECT * FROM devices WHERE id = ?"), id);
             ResultSet rs = st.executeQuery()) {
            return rs.next() ? Optional.of(map(rs)) : Optional.empty();
        }
    }

    @Override
    public boolean publicKeyInUse(Connection c, String publicKey) throws SQLException {
        try (PreparedStatement st = Rows.bind(c.prepareStatement("SELECT 1 FROM devices WHERE public_key = ?"), publicKey);
             ResultSet rs = st.executeQuery()) {
            return rs.next();
        }
    }

    @Override
    public List<Device> list(Connection c, String hostname) throws SQLException {
        return query(c, "deleted_at IS NULL", hostname);
    }

    @Override
    public List<Device> listDeleted(Connection c, String hostname) throws SQLException {
        return query(c, "deleted_at IS NOT NULL", hostname);
    }

    @Override
    public List<Device> deletedBefore(Connection c, Instant cutoff) throws SQLException {
        List<Device> devices = new ArrayList<>();
        try (PreparedStatement st = Rows.bind(c.prepareStatement("SELECT * FROM devices WHERE deleted_at IS NOT NULL"
                + " AND deleted_at <= ? ORDER BY deleted_at, id"), cutoff); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                devices.add(map(rs));
            }
        }
        return devices;
    }

    private static List<Device> query(Connection c, String which, String hostname) throws SQLException {
        String sql = hostname == null
                ? "SELECT * FROM devices WHERE " + which + " ORDER BY hostname, id"
                : "SELECT * FROM devices WHERE " + which + " AND hostname = ? COLLATE NOCASE ORDER BY hostname, id";
        List<Device> devices = new ArrayList<>();
        try (PreparedStatement st = hostname == null ? c.prepareStatement(sql) : Rows.bind(c.prepareStatement(sql), hostname);
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                devices.add(map(rs));
            }
        }
        return devices;
    }

    @Override
    public void checkedIn(Connection c, String id, String hostname, String osVersion, String agentVersion,
                          String account, String accountProblem, List<String> warnings, Instant at) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE devices SET hostname = ?, os_version = ?,"
                + " agent_version = ?, account = ?, account_problem = ?, warnings = ?, last_seen_at = ? WHERE id = ?")) {
            Rows.bind(st, hostname, osVersion, agentVersion, account, accountProblem, toJson(warnings), at, id)
                    .executeUpdate();
        }
    }

    @Override
    public void requestRotation(Connection c, String id, Instant at) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE devices SET rotate_requested_at = ? WHERE id = ?")) {
            Rows.bind(st, at, id).executeUpdate();
        }
    }

    @Override
    public void approve(Connection c, String id, Instant at) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "UPDATE devices SET approved_at = ? WHERE id = ? AND approved_at IS NULL")) {
            Rows.bind(st, at, id).executeUpdate();
        }
    }

    @Override
    public void setDisabled(Connection c, String id, Instant at) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE devices SET disabled_at = ? WHERE id = ?")) {
            Rows.bind(st, at, id).executeUpdate();
        }
    }

    @Override
    public void markDeleted(Connection c, String id, Instant at) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "UPDATE devices SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL")) {
            Rows.bind(st, at, id).executeUpdate();
        }
    }

    @Override
    public Purged purge(Connection c, String id) throws SQLException {
        int[] counts = new int[2];
        String[] statements = {"DELETE FROM rotations WHERE device_id = ?", "DELETE FROM recovery_keys WHERE device_id = ?",
                "DELETE FROM recovery_unprotected_volumes WHERE device_id = ?",
                "DELETE FROM device_group_members WHERE device_id = ?", "DELETE FROM devices WHERE id = ?"};
        for (int i = 0; i < statements.length; i++) {
            try (PreparedStatement st = c.prepareStatement(statements[i])) {
                int n = Rows.bind(st, id).executeUpdate();
                if (i < 2) {
                    counts[i] = n;
                }
            }
        }
        return new Purged(counts[0], counts[1]);
    }

    private static Device map(ResultSet rs) throws SQLException {
        return new Device(rs.getString("id"), rs.getString("hostname"), rs.getString("os"),
                rs.getString("os_version"), rs.getString("agent_version"), rs.getString("public_key"),
                rs.getString("account"), rs.getString("account_problem"), fromJson(rs.getString("warnings")),
                Rows.instant(rs, "registered_at"), Rows.instant(rs, "last_seen_at"),
                Rows.instant(rs, "rotate_requested_at"), Rows.instant(rs, "disabled_at"),
                Rows.instant(rs, "approved_at"), Rows.instant(rs, "deleted_at"));
    }

    private static String toJson(List<String> warnings) {
        try {
            return Json.mapper().writeValueAsString(warnings == null ? List.of() : warnings);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode warnings", e);
        }
    }

    private static List<String> fromJson(String json) {
        try {
            return json == null ? List.of() : Json.mapper().readValue(json, STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored warnings are not a JSON array", e);
        }
    }
}
