package org.castellan.server.groups;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.castellan.server.db.Rows;

/** User groups and their members. */
public final class SqlUserGroupStore {

    public void insert(Connection c, String id, String name, Instant now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO user_groups (id, name, created_at) VALUES (?, ?, ?)")) {
            Rows.bind(st, id, name, now).executeUpdate();
        }
    }

    public boolean nameInUse(Connection c, String name) throws SQLException {
        try (PreparedStatement st = Rows.bind(c.prepareStatement("SELECT 1 FROM user_groups WHERE name = ?"), name);
             ResultSet rs = st.executeQuery()) {
            return rs.next();
        }
    }

    public void setMembers(Connection c, String groupId, List<String> userIds) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("DELETE FROM user_group_members WHERE group_id = ?")) {
            Rows.bind(st, groupId).executeUpdate();
        }
        try (PreparedStatement st = c.prepareStatement("INSERT INTO user_group_members (group_id, user_id) VALUES (?, ?)")) {
            for (String userId : new LinkedHashSet<>(userIds)) {
                Rows.bind(st, groupId, userId).executeUpdate();
            }
        }
    }

    public List<UserGroup> list(Connection c) throws SQLException {
        List<UserGroup> out = new ArrayList<>();
        List<String[]> rows = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT id, name FROM user_groups ORDER BY id");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                rows.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        }
        for (String[] row : rows) {
            out.add(new UserGroup(row[0], row[1], members(c, row[0])));
        }
        return out;
    }

    /**
     * Up to {@code limit} groups with their members, in id order after {@code afterId} (null: from
     * the first): keyset paging on the primary key ({@link #PAGE}), members read for those groups only.
     */
    public List<UserGroup> page(Connection c, String afterId, int limit) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        try (PreparedStatement st = Rows.bind(c.prepareStatement(PAGE), afterId == null ? "" : afterId, limit);
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                rows.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        }
        List<UserGroup> out = new ArrayList<>();
        for (String[] row : rows) {
            out.add(new UserGroup(row[0], row[1], members(c, row[0])));
        }
        return out;
    }

    /** The query of one {@link #page}: a range search on the primary key from the cursor. */
    private static final String PAGE = "SELECT id, name FROM user_groups WHERE id > ? ORDER BY id LIMIT ?";

    public Optional<UserGroup> byId(Connection c, String id) throws SQLException {
        try (PreparedStatement st = Rows.bind(c.prepareStatement("SELECT name FROM user_groups WHERE id = ?"), id);
             ResultSet rs = st.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            String name = rs.getString(1);
            return Optional.of(new UserGroup(id, name, members(c, id)));
        }
    }

    public void delete(Connection c, String id) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("DELETE FROM user_group_members WHERE group_id = ?")) {
            Rows.bind(st, id).executeUpdate();
        }
        try (PreparedStatement st = c.prepareStatement("DELETE FROM user_groups WHERE id = ?")) {
            Rows.bind(st, id).executeUpdate();
        }
    }

    /** Ids of the groups {@code userId} belongs to. */
    public Set<String> groupsOf(Connection c, String userId) throws SQLException {
        Set<String> out = new LinkedHashSet<>();
        try (PreparedStatement st = Rows.bind(c.prepareStatement(
                "SELECT group_id FROM user_group_members WHERE user_id = ? ORDER BY group_id"), userId);
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static List<String> members(Connection c, String groupId) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement st = Rows.bind(c.prepareStatement(
                "SELECT user_id FROM user_group_members WHERE group_id = ? ORDER BY user_id"), groupId);
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
