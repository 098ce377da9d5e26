package org.castellan.server.groups;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.castellan.server.access.DeviceMatch;
import org.castellan.server.db.Rows;
import org.castellan.server.devices.DeviceScope;
import org.castellan.server.devices.SqlDeviceStore;

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
    }

    public boolean nameInUse(Connection c, String name, String exceptId) throws SQLException {
        try (PreparedStatement st = Rows.bind(c.prepareStatement(
                "SELECT 1 FROM device_groups WHERE name = ? AND id <> ?"), name, exceptId == null ? "" : exceptId);
             ResultSet rs = st.executeQuery()) {
            return rs.next();
        }
    }

    /** Makes the device an explicit member; true when it was not one already. */
    public boolean addMember(Connection c, String groupId, String deviceId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "INSERT INTO device_group_members (group_id, device_id) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            return Rows.bind(st, groupId, deviceId).executeUpdate() > 0;
        }
    }

    /** Ends the device's explicit membership; true when it was a member. */
    public boolean removeMember(Connection c, String groupId, String deviceId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "DELETE FROM device_group_members WHERE group_id = ? AND device_id = ?")) {
            return Rows.bind(st, groupId, deviceId).executeUpdate() > 0;
        }
    }

    /** True when the device is an explicit member (one probe of the primary key). */
    public boolean isMember(Connection c, String groupId, String deviceId) throws SQLException {
        try (PreparedStatement st = Rows.bind(c.prepareStatement(
                "SELECT 1 FROM device_group_members WHERE group_id = ? AND device_id = ?"), groupId, deviceId);
             ResultSet rs = st.executeQuery()) {
            return rs.next();
        }
    }

    /** Replaces every explicit member (a PUT that names the devices). */
    public void replaceMembers(Connection c, String groupId, List<String> deviceIds) throws SQLException {
        setMembers(c, groupId, deviceIds);
    }

    /**
     * Deletes the group. Its explicit members' and its match's rows stay until
     * {@link DeviceGroupMatchFill} purges them (a trigger records the id, db/sqlite/V98 and V99):
     * nothing reads rows of a group that does not exist.
     */
    public void delete(Connection c, String id) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("DELETE FROM device_groups WHERE id = ?")) {
            Rows.bind(st, id).executeUpdate();
        }
    }

    /**
     * One group's definition; its explicit members are not read (a group may hold most of the
     * fleet): they are paged ({@link #memberPage}) and counted ({@link #counts}).
     */
    public Optional<DeviceGroupRow> byId(Connection c, String id) throws SQLException {
        try (PreparedStatement st = Rows.bind(c.prepareStatement("SELECT * FROM device_groups WHERE id = ?"), id);
             ResultSet rs = st.executeQuery()) {
            return rs.next() ? Optional.of(definition(rs)) : Optional.empty();
        }
    }

    /**
     * Up to {@code limit} group definitions (members not read), in id order after {@code afterId}
     * (null: from the first): keyset paging on the primary key ({@link #PAGE}).
     */
    public List<DeviceGroupRow> page(Connection c, String afterId, int limit) throws SQLException {
        List<DeviceGroupRow> out = new ArrayList<>();
        try (PreparedStatement st = Rows.bind(c.prepareStatement(PAGE), afterId == null ? "" : afterId, limit);
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(definition(rs));
            }
        }
        return out;
    }

    private static DeviceGroupRow definition(ResultSet rs) throws SQLException {
        return new DeviceGroupRow(rs.getString("id"), rs.getString("name"), List.of(), rs.getString("match_hostname"),
                rs.getString("match_os"), rs.getString("policy"), rs.getString("match_fill_after") != null);
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
                out.add(definition(rs));
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

    /** How many explicit members and matched devices a group has (tombstones included, as they stay members). */
    public record Counts(long explicit, long matched) {
        public static final Counts NONE = new Counts(0, 0);
    }

    /**
     * How many explicit members each of the groups {@code groupIds} has (absent: none), in one
     * grouped query over {@code device_group_members}' primary key: what a write checks (a policy
     * must fit every system a member may run), without the matched count {@link #counts} may have
     * to take from a pass over the fleet while a match fills.
     */
    public Map<String, Long> explicitCounts(Connection c, java.util.Collection<String> groupIds) throws SQLException {
        return grouped(c, "device_group_members", groupIds);
    }

    /** How many explicit members the group has. */
    public long explicitCount(Connection c, String groupId) throws SQLException {
        return explicitCounts(c, List.of(groupId)).getOrDefault(groupId, 0L);
    }

    /**
     * The counts of the groups {@code groupIds} (a page of them), in two grouped queries over the
     * member tables' primary keys: an index range per group, no member row leaves the database.
     * A group whose match's rows are being filled has its matched devices counted by testing its
     * match on every device instead (a pass over the fleet, only until the fill ends), never from
     * its partial rows.
     */
    public Map<String, Counts> counts(Connection c, java.util.Collection<String> groupIds) throws SQLException {
        Map<String, Counts> out = new HashMap<>();
        // Which groups fill, first: a read is not one snapshot, and a fill that ends between the two
        // statements must not leave its old rows counted as if they were done.
        List<DeviceGroupRow> filling = groupIds.isEmpty() ? List.of() : filling(c, groupIds);
        Map<String, Long> matched = grouped(c, "device_group_matches", groupIds);
        for (DeviceGroupRow group : filling) {
            List<Object> params = new ArrayList<>();
            String where = SqlDeviceStore.scopeSql(matchScope(group), "", params);
            try (PreparedStatement st = Rows.bind(c.prepareStatement("SELECT COUNT(*) FROM devices WHERE " + where),
                    params.toArray()); ResultSet rs = st.executeQuery()) {
                rs.next();
                matched.put(group.id(), rs.getLong(1));
            }
        }
        explicitCounts(c, groupIds).forEach((id, n) -> out.put(id, new Counts(n, 0)));
        matched.forEach((id, n) -> out.put(id, new Counts(out.getOrDefault(id, Counts.NONE).explicit(), n)));
        return out;
    }

    /** Rows of {@code table} per group of {@code groupIds} (absent: none), over its primary key {@code (group_id, ...)}. */
    private static Map<String, Long> grouped(Connection c, String table, java.util.Collection<String> groupIds)
            throws SQLException {
        Map<String, Long> out = new HashMap<>();
        if (groupIds.isEmpty()) {
            return out;
        }
        List<String> ids = new ArrayList<>(new TreeSet<>(groupIds));
        try (PreparedStatement st = Rows.bind(c.prepareStatement("SELECT group_id, COUNT(*) FROM " + table
                + " WHERE group_id IN (" + marks(ids.size()) + ") GROUP BY group_id"), ids.toArray());
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    private static String marks(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    /** Those of the groups {@code ids} whose match's rows are being filled. */
    private static List<DeviceGroupRow> filling(Connection c, java.util.Collection<String> ids) throws SQLException {
        List<DeviceGroupRow> out = new ArrayList<>();
        try (PreparedStatement st = Rows.bind(c.prepareStatement("SELECT * FROM device_groups WHERE id IN ("
                + marks(ids.size()) + ") AND match_fill_after IS NOT NULL"), new TreeSet<>(ids).toArray());
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(definition(rs));
            }
        }
        return out;
    }

    /** The devices a group's match selects, tested on each device (no device when it has no match). */
    static DeviceScope matchScope(DeviceGroupRow group) {
        DeviceMatch match = group.accessMatch();
        return new DeviceScope(false, Set.of(), Set.of(), match == null ? List.of() : List.of(match));
    }

    /** One device of a group's page of members, with how it belongs. */
    public record Member(String id, String hostname, String os, boolean explicit, boolean matched, boolean deleted) {}

    /**
     * Up to {@code limit} devices of the group, explicit members and matched devices alike (live
     * and tombstones), in device id order after {@code afterId} (null: from the first), each once.
     * One keyset arm per member table, each a range search on its primary key
     * {@code (group_id, device_id)} that stops after {@code limit} rows, then their union folded
     * per device: the cost follows the page size, never the group's. (The same shape as
     * {@code SqlDeviceStore.scopedPageSql}, which cannot serve here: it reads one liveness and
     * does not say which table a device came from.)
     */
    public List<Member> memberPage(Connection c, String groupId, String afterId, int limit) throws SQLException {
        String after = afterId == null ? "" : afterId;
        Optional<DeviceGroupRow> group = byId(c, groupId);
        String sql = MEMBER_PAGE;
        List<Object> params = new ArrayList<>(List.of(groupId, after, after, limit, groupId, after, after, limit, limit));
        if (group.isPresent() && group.get().matchFilling()) {
            // Its rows are being filled: the matched arm tests the match on the devices after the cursor.
            List<Object> match = new ArrayList<>();
            String where = SqlDeviceStore.scopeSql(matchScope(group.get()), "d.", match);
            sql = memberPageSql("SELECT d.id, d.hostname, d.os, d.deleted_at, 0 AS ex, 1 AS mx"
                    + " FROM devices d WHERE d.id > ? AND " + where + " ORDER BY d.id LIMIT ?");
            params = new ArrayList<>(List.of(groupId, after, after, limit, after));
            params.addAll(match);
            params.addAll(List.of(limit, limit));
        }
        List<Member> out = new ArrayList<>();
        try (PreparedStatement st = Rows.bind(c.prepareStatement(sql), params.toArray()); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(new Member(rs.getString("id"), rs.getString("hostname"), rs.getString("os"),
                        rs.getInt("explicit") > 0, rs.getInt("matched") > 0, rs.getObject("deleted_at") != null));
            }
        }
        return out;
    }

    /**
     * The query of {@link #memberPage} (portable: SQLite and PostgreSQL). Each arm reads its page of
     * devices by key inside its LIMIT, so both databases look devices up one by one (a join after
     * the union let PostgreSQL hash-join a scan of the whole devices table), with the cursor on both
     * sides of the join (as {@code SqlDeviceStore}'s member arms: PostgreSQL may merge-join the
     * devices table from its first row otherwise).
     */
    /** {@link #MEMBER_PAGE}'s arm of matched devices, from the kept rows (another while they are filled). */
    private static final String MATCHED_ARM = "SELECT d.id, d.hostname, d.os, d.deleted_at, 0 AS ex, 1 AS mx"
            + " FROM device_group_matches g JOIN devices d ON d.id = g.device_id WHERE g.group_id = ? AND g.device_id > ?"
            + " AND d.id > ? ORDER BY g.device_id LIMIT ?";

    static final String MEMBER_PAGE = memberPageSql(MATCHED_ARM);

    /** {@link #MEMBER_PAGE} with {@code matchedArm} as its arm of matched devices. */
    private static String memberPageSql(String matchedArm) {
        return "SELECT id, hostname, os, deleted_at, MAX(ex) AS explicit, MAX(mx) AS matched FROM ("
                + "SELECT * FROM (SELECT d.id, d.hostname, d.os, d.deleted_at, 1 AS ex, 0 AS mx FROM device_group_members g"
                + " JOIN devices d ON d.id = g.device_id WHERE g.group_id = ? AND g.device_id > ? AND d.id > ?"
                + " ORDER BY g.device_id LIMIT ?) a"
                + " UNION ALL SELECT * FROM (" + matchedArm + ") b"
                + ") u GROUP BY id, hostname, os, deleted_at ORDER BY id LIMIT ?";
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
