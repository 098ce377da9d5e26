package org.castellan.server.groups;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.castellan.server.db.Rows;

/** Device groups: explicit members, match criteria and the policy attached. */
public final class SqlDeviceGroupStore {

    public void insert(Connection c, DeviceGroupRow g, Instant now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO device_groups"
                + " (id, name, match_hostname, match_os, policy, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            Rows.bind(st, g.id(), g.name(), g.matchHostname(), g.matchOs(), g.policy(), now).executeUpdate();
        }
        setMembers(c, g.id(), g.devices());
    }

    public void update(Connection c, DeviceGroupRow g) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE device_groups SET name = ?, match_hostname = ?,"
                + " match_os = ?, policy = ? WHERE id = ?")) {
            Rows.bind(st, g.name(), g.matchHostname(), g.matchOs(), g.policy(), g.id()).executeUpdate();
        }
        setMembers(c, g.id(), g.devices());
    }

    public boolean nameInUse(Connection c, String name, String exceptId) throws SQLException {
        try (PreparedStatement st = Rows.bind(c.prepareStatement(
                "SELECT 1 FROM device_groups WHERE name = ? AND id <> ?"), name, exceptId == null ? "" : exceptId);
             ResultSet rs = st.executeQuery()) {
            return rs.next();
        }
    }

    public void addMember(Connection c, String groupId, String deviceId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "INSERT INTO device_group_members (group_id, device_id) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            Rows.bind(st, groupId, deviceId).executeUpdate();
        }
    }

    public void delete(Connection c, String id) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("DELETE FROM device_group_members WHERE group_id = ?")) {
            Rows.bind(st, id).executeUpdate();
        }
        try (PreparedStatement st = c.prepareStatement("DELETE FROM device_groups WHERE id = ?")) {
            Rows.bind(st, id).executeUpdate();
        }
    }

    public Optional<DeviceGroupRow> byId(Connection c, String id) throws SQLException {
        return list(c).stream().filter(g -> g.id().equals(id)).findFirst();
    }

    /** Every group with its members, ordered by id (groups are few; access checks need them all). */
    public List<DeviceGroupRow> list(Connection c) throws SQLException {
        Map<String, List<String>> members = new HashMap<>();
        try (PreparedStatement st = c.prepareStatement(
                "SELECT group_id, device_id FROM device_group_members ORDER BY group_id, device_id");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                members.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
            }
        }
        List<DeviceGroupRow> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM device_groups ORDER BY id");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                String id = rs.getString("id");
                out.add(new DeviceGroupRow(id, rs.getString("name"), members.getOrDefault(id, List.of()),
                        rs.getString("match_hostname"), rs.getString("match_os"), rs.getString("policy")));
            }
        }
        return out;
    }

    private static void setMembers(Connection c, String groupId, List<String> deviceIds) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("DELETE FROM device_group_members WHERE group_id = ?")) {
            Rows.bind(st, groupId).executeUpdate();
        }
        try (PreparedStatement st = c.prepareStatement(
                "INSERT INTO device_group_members (group_id, device_id) VALUES (?, ?)")) {
            for (String deviceId : new LinkedHashSet<>(deviceIds)) {
                Rows.bind(st, groupId, deviceId).executeUpdate();
            }
        }
    }
}
