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
import java.util.Set;
import java.util.TreeSet;
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

    /** One group with its explicit members (those of this group only). */
    public Optional<DeviceGroupRow> byId(Connection c, String id) throws SQLException {
        if (!exists(c, id)) {
            return Optional.empty();
        }
        List<String> members = members(c, id);
        try (PreparedStatement st = Rows.bind(c.prepareStatement("SELECT * FROM device_groups WHERE id = ?"), id);
             ResultSet rs = st.executeQuery()) {
            rs.next();
            return Optional.of(new DeviceGroupRow(id, rs.getString("name"), members, rs.getString("match_hostname"),
                    rs.getString("match_os"), rs.getString("policy")));
        }
    }

    /** The explicit members of one group, in id order (the primary key (group_id, device_id)). */
    private static List<String> members(Connection c, String groupId) throws SQLException {
        List<String> members = new ArrayList<>();
        try (PreparedStatement st = Rows.bind(c.prepareStatement(
                "SELECT device_id FROM device_group_members WHERE group_id = ? ORDER BY device_id"), groupId);
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                members.add(rs.getString(1));
            }
        }
        return members;
    }

    /**
     * Up to {@code limit} groups with their explicit members, in id order after {@code afterId}
     * (null: from the first): keyset paging on the primary key ({@link #PAGE}), then the members of
     * those groups only, each group's from the members' primary key.
     */
    public List<DeviceGroupRow> page(Connection c, String afterId, int limit) throws SQLException {
        List<DeviceGroupRow> definitions = new ArrayList<>();
        try (PreparedStatement st = Rows.bind(c.prepareStatement(PAGE), afterId == null ? "" : afterId, limit);
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                definitions.add(new DeviceGroupRow(rs.getString("id"), rs.getString("name"), List.of(),
                        rs.getString("match_hostname"), rs.getString("match_os"), rs.getString("policy")));
            }
        }
        List<DeviceGroupRow> out = new ArrayList<>(definitions.size());
        for (DeviceGroupRow g : definitions) {
            out.add(new DeviceGroupRow(g.id(), g.name(), members(c, g.id()), g.matchHostname(), g.matchOs(), g.policy()));
        }
        return out;
    }

    /** The query of one {@link #page}: a range search on the primary key from the cursor. */
    private static final String PAGE = "SELECT * FROM device_groups WHERE id > ? ORDER BY id LIMIT ?";

    /** True when a group of that id exists (its members are not read). */
    public boolean exists(Connection c, String id) throws SQLException {
        try (PreparedStatement st = Rows.bind(c.prepareStatement("SELECT 1 FROM device_groups WHERE id = ?"), id);
             ResultSet rs = st.executeQuery()) {
            return rs.next();
        }
    }

    /**
     * Every group's definition (name, match, policy) without its explicit members, ordered by id:
     * what an access decision or a policy look-up reads per request. Groups are few; their explicit
     * members (a registration key's group) may be most of the fleet, so those are read per device
     * ({@link #explicitGroupsOf}).
     */
    public List<DeviceGroupRow> definitions(Connection c) throws SQLException {
        List<DeviceGroupRow> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT * FROM device_groups ORDER BY id");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(new DeviceGroupRow(rs.getString("id"), rs.getString("name"), List.of(),
                        rs.getString("match_hostname"), rs.getString("match_os"), rs.getString("policy")));
            }
        }
        return out;
    }

    /** The ids of the groups {@code deviceId} is an explicit member of (index device_group_members_device). */
    public Set<String> explicitGroupsOf(Connection c, String deviceId) throws SQLException {
        Set<String> out = new TreeSet<>();
        try (PreparedStatement st = Rows.bind(c.prepareStatement(EXPLICIT_GROUPS_OF), deviceId);
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** The query of {@link #explicitGroupsOf} (its plan is asserted at scale). */
    public static final String EXPLICIT_GROUPS_OF = "SELECT group_id FROM device_group_members WHERE device_id = ?";

    /** Every group with all its members, ordered by id: for the group API and pages, never per request on a device. */
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
