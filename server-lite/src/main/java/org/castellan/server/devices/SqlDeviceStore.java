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
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.castellan.protocol.Json;
import org.castellan.server.access.DeviceMatch;
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

    @Override
    public List<Device> page(Connection c, DeviceQuery q) throws SQLException {
        if (q.scope().isEmpty()) {
            return List.of();
        }
        List<Object> params = new ArrayList<>();
        String sql = pageSql(q, params);
        List<Device> devices = new ArrayList<>();
        try (PreparedStatement st = Rows.bind(c.prepareStatement(sql), params.toArray());
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                devices.add(map(rs));
            }
        }
        return devices;
    }

    /**
     * The keyset query of one page: portable SQL (SQLite and PostgreSQL), served by the primary
     * key for the whole fleet and by {@code devices_hostname_lower (lower(hostname), id)} for a
     * host-name lookup, never sorting in a temporary table. A non-admin's page without a host name
     * is {@link #scopedPageSql}: it starts from the rows that name their devices, not from the fleet.
     */
    static String pageSql(DeviceQuery q, List<Object> params) {
        if (q.hostname() == null && !q.scope().all() && q.scope().matches().isEmpty()) {
            return scopedPageSql(q, params);
        }
        // Tombstones (deleted, secrets kept until purged) only when asked for, never mixed with live devices.
        StringBuilder sql = new StringBuilder("SELECT * FROM devices WHERE " + liveness(q, ""));
        if (q.hostname() != null) {
            // lower() on both sides: the same folding on SQLite and PostgreSQL, and the index's expression.
            sql.append(" AND lower(hostname) = lower(?)");
            params.add(q.hostname());
        }
        // Always a lower bound ('' on the first page, below every id): the first page and a deep
        // one have the same plan, a range search on the index from the cursor.
        sql.append(" AND id > ?");
        params.add(after(q));
        if (!q.scope().all()) {
            sql.append(" AND ").append(scopeSql(q.scope(), "", params));
        }
        sql.append(" ORDER BY id LIMIT ?");
        params.add(q.limit());
        return sql.toString();
    }

    /**
     * One page of a scope made of named devices and groups (explicit members, saved matches): one
     * keyset arm per source, each a range search from the cursor on its own index that stops after
     * {@code limit} devices of the asked liveness and reads their rows by key, then the page is the
     * first {@code limit} of their union (a device in two groups once). Its cost follows the page
     * size and the number of sources, neither the fleet's size nor how few of the fleet's devices a
     * group holds (walking the fleet in id order and testing each device would read the whole fleet
     * for a group of ten). The only sort is of the arms' rows, at most a page per source.
     */
    static String scopedPageSql(DeviceQuery q, List<Object> params) {
        DeviceScope scope = q.scope();
        List<String> arms = new ArrayList<>();
        if (!scope.deviceIds().isEmpty()) {
            arms.add("SELECT * FROM devices WHERE id IN (" + marks(scope.deviceIds().size()) + ") AND id > ? AND "
                    + liveness(q, "") + " ORDER BY id LIMIT ?");
            params.addAll(new TreeSet<>(scope.deviceIds()));
            params.add(after(q));
            params.add(q.limit());
        }
        for (String group : new TreeSet<>(scope.explicitGroupIds())) {
            arms.add(memberArm("device_group_members", q, group, params));
        }
        for (String group : new TreeSet<>(scope.matchedGroupIds())) {
            arms.add(memberArm("device_group_matches", q, group, params));
        }
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < arms.size(); i++) {
            sql.append(i == 0 ? "" : " UNION ").append("SELECT * FROM (").append(arms.get(i)).append(") a").append(i);
        }
        sql.append(" ORDER BY id LIMIT ?");
        params.add(q.limit());
        return sql.toString();
    }

    /**
     * One group's devices of the asked liveness after the cursor, in id order, from {@code (group_id, device_id)}.
     * The cursor bounds both sides of the join: PostgreSQL does not carry {@code m.device_id > ?}
     * over to {@code d.id}, and at a million devices chose a merge join that read the devices
     * table in id order from its first row to the cursor (250 ms for a page half-way, 0.7 ms with
     * the bound on both).
     */
    private static String memberArm(String table, DeviceQuery q, String group, List<Object> params) {
        params.add(group);
        params.add(after(q));
        params.add(after(q));
        params.add(q.limit());
        return "SELECT d.* FROM " + table + " m JOIN devices d ON d.id = m.device_id"
                + " WHERE m.group_id = ? AND m.device_id > ? AND d.id > ? AND " + liveness(q, "d.")
                + " ORDER BY m.device_id LIMIT ?";
    }

    private static String liveness(DeviceQuery q, String prefix) {
        return prefix + (q.deleted() ? "deleted_at IS NOT NULL" : "deleted_at IS NULL");
    }

    private static String after(DeviceQuery q) {
        return q.afterId() == null ? "" : q.afterId();
    }

    /**
     * The devices of a (not {@code all}) scope as one parenthesized condition on the columns of
     * {@code devices}, each named with {@code prefix} (e.g. {@code "d."} in a join), tested row by
     * row: for a query that walks another index (a host name, a report's time order, just-in-time
     * requests newest first) and must show a caller only their devices. Each membership is one
     * index probe ({@code (group_id, device_id)}), however large the group.
     */
    public static String scopeSql(DeviceScope scope, String prefix, List<Object> params) {
        if (scope.all()) {
            return "(1 = 1)";
        }
        if (scope.isEmpty()) {
            return "(1 = 0)";
        }
        List<String> any = new ArrayList<>();
        if (!scope.deviceIds().isEmpty()) {
            any.add(prefix + "id IN (" + marks(scope.deviceIds().size()) + ")");
            params.addAll(new TreeSet<>(scope.deviceIds()));
        }
        if (!scope.explicitGroupIds().isEmpty()) {
            any.add(memberOf("device_group_members", scope.explicitGroupIds(), prefix, params));
        }
        if (!scope.matchedGroupIds().isEmpty()) {
            any.add(memberOf("device_group_matches", scope.matchedGroupIds(), prefix, params));
        }
        any.addAll(unsavedMatches(scope, prefix, params));
        return "(" + String.join(" OR ", any) + ")";
    }

    /**
     * The same devices as {@link #scopeSql}, as a set the database can start from: for a query over
     * the whole scope (a count of its versions), so it reads the scope's devices by key instead of
     * testing every device of the fleet. Named devices, explicit members and saved matches are one
     * {@code id IN} over the rows that name them.
     */
    public static String scopeSetSql(DeviceScope scope, String prefix, List<Object> params) {
        if (scope.all() || scope.isEmpty()) {
            return scopeSql(scope, prefix, params);
        }
        List<String> sources = new ArrayList<>();
        if (!scope.deviceIds().isEmpty()) {
            sources.add("SELECT id FROM devices WHERE id IN (" + marks(scope.deviceIds().size()) + ")");
            params.addAll(new TreeSet<>(scope.deviceIds()));
        }
        for (var table : List.of(Map.entry("device_group_members", scope.explicitGroupIds()),
                Map.entry("device_group_matches", scope.matchedGroupIds()))) {
            if (!table.getValue().isEmpty()) {
                sources.add("SELECT device_id FROM " + table.getKey() + " WHERE group_id IN ("
                        + marks(table.getValue().size()) + ")");
                params.addAll(new TreeSet<>(table.getValue()));
            }
        }
        List<String> any = new ArrayList<>();
        if (!sources.isEmpty()) {
            any.add(prefix + "id IN (" + String.join(" UNION ALL ", sources) + ")");
        }
        any.addAll(unsavedMatches(scope, prefix, params));
        return "(" + String.join(" OR ", any) + ")";
    }

    private static String memberOf(String table, java.util.Set<String> groups, String prefix, List<Object> params) {
        params.addAll(new TreeSet<>(groups));
        return "EXISTS (SELECT 1 FROM " + table + " m WHERE m.group_id IN (" + marks(groups.size()) + ")"
                + " AND m.device_id = " + prefix + "id)";
    }

    /** A match not saved in a group (a preview): tested on each row's host name and OS. */
    private static List<String> unsavedMatches(DeviceScope scope, String prefix, List<Object> params) {
        List<String> any = new ArrayList<>();
        for (DeviceMatch match : scope.matches()) {
            List<String> all = new ArrayList<>();
            if (match.hostname() != null) {
                // PostgreSQL's LIKE is case-sensitive, SQLite's not (for ASCII): lower() both sides, so both match
                // the same; backslash named as the escape (SQLite has no default one). The same predicate as
                // the triggers that keep device_group_matches (V93).
                all.add("lower(" + prefix + "hostname) LIKE lower(?) ESCAPE '\\'");
                params.add(like(match.hostname().pattern()));
            }
            if (match.os() != null) {
                all.add("lower(" + prefix + "os) = ?");
                params.add(match.os());
            }
            any.add("(" + String.join(" AND ", all) + ")");
        }
        return any;
    }

    /** A host-name glob ({@code *}, {@code ?}; already lower-cased) as a LIKE pattern with {@code \} as escape. */
    static String like(String glob) {
        StringBuilder out = new StringBuilder();
        for (char ch : glob.toCharArray()) {
            switch (ch) {
                case '*' -> out.append('%');
                case '?' -> out.append('_');
                case '%', '_', '\\' -> out.append('\\').append(ch);
                default -> out.append(ch);
            }
        }
        return out.toString();
    }

    private static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    @Override
    public Map<String, Long> countByLastSeen(Connection c, Instant now) throws SQLException {
        long t = now.toEpochMilli();
        long hour = 3_600_000L;
        long day = 24 * hour;
        // One pass over the table (run every minute by the metrics task, never per scrape).
        try (PreparedStatement st = Rows.bind(c.prepareStatement("SELECT"
                + " SUM(CASE WHEN last_seen_at IS NULL THEN 1 ELSE 0 END),"
                + " SUM(CASE WHEN last_seen_at >= ? THEN 1 ELSE 0 END),"
                + " SUM(CASE WHEN last_seen_at < ? AND last_seen_at >= ? THEN 1 ELSE 0 END),"
                + " SUM(CASE WHEN last_seen_at < ? AND last_seen_at >= ? THEN 1 ELSE 0 END),"
                + " SUM(CASE WHEN last_seen_at < ? AND last_seen_at >= ? THEN 1 ELSE 0 END),"
                + " SUM(CASE WHEN last_seen_at < ? THEN 1 ELSE 0 END) FROM devices WHERE deleted_at IS NULL"),
                t - hour, t - hour, t - day, t - day, t - 7 * day, t - 7 * day, t - 30 * day, t - 30 * day);
             ResultSet rs = st.executeQuery()) {
            rs.next();
            java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
            String[] buckets = LAST_SEEN_BUCKETS.toArray(new String[0]);
            for (int i = 0; i < buckets.length; i++) {
                out.put(buckets[i], rs.getLong(i + 1));
            }
            return out;
        }
    }

    @Override
    public List<Device> byHostnames(Connection c, java.util.Collection<String> lowerNames, boolean deleted, int limit)
            throws SQLException {
        List<Device> out = new ArrayList<>();
        List<String> names = new ArrayList<>(new TreeSet<>(lowerNames));
        // In chunks, each an IN list served by devices_hostname_lower (lower(hostname), id).
        for (int from = 0; from < names.size() && out.size() < limit; from += 500) {
            List<String> chunk = names.subList(from, Math.min(names.size(), from + 500));
            String sql = "SELECT * FROM devices WHERE deleted_at IS " + (deleted ? "NOT " : "") + "NULL"
                    + " AND lower(hostname) IN (" + marks(chunk.size()) + ") LIMIT ?";
            List<Object> params = new ArrayList<>(chunk);
            params.add(limit - out.size());
            try (PreparedStatement st = Rows.bind(c.prepareStatement(sql), params.toArray());
                 ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(map(rs));
                }
            }
        }
        return out;
    }

    @Override
    public List<Device> searchPrefix(Connection c, String prefix, String after, int limit) throws SQLException {
        String like = prefix.toLowerCase(java.util.Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%")
                .replace("_", "\\_") + "%";
        StringBuilder sql = new StringBuilder("SELECT * FROM devices WHERE deleted_at IS NULL"
                + " AND lower(hostname) LIKE ? ESCAPE '\\'");
        List<Object> params = new ArrayList<>(List.of(like));
        if (after != null) {
            int space = after.lastIndexOf(' ');
            String host = space < 0 ? after : after.substring(0, space);
            String id = space < 0 ? "" : after.substring(space + 1);
            sql.append(" AND (lower(hostname) > ? OR (lower(hostname) = ? AND id > ?))");
            params.addAll(List.of(host, host, id));
        }
        sql.append(" ORDER BY lower(hostname), id LIMIT ?");
        params.add(limit);
        List<Device> out = new ArrayList<>();
        try (PreparedStatement st = Rows.bind(c.prepareStatement(sql.toString()), params.toArray());
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(map(rs));
            }
        }
        return out;
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
        // A deleted device gets no admin rights: its pending and active just-in-time grants end now.
        try (PreparedStatement st = c.prepareStatement("UPDATE jit_grants SET revoked_by = 'system', revoked_at = ?"
                + " WHERE device_id = ? AND revoked_at IS NULL")) {
            Rows.bind(st, at, id).executeUpdate();
        }
    }

    @Override
    public Purged purge(Connection c, String id) throws SQLException {
        int[] counts = new int[2];
        String[] statements = {"DELETE FROM rotations WHERE device_id = ?", "DELETE FROM recovery_keys WHERE device_id = ?",
                "DELETE FROM recovery_unprotected_volumes WHERE device_id = ?",
                "DELETE FROM jit_grants WHERE device_id = ?",
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

    /** A device from a row that has every column of {@code devices} (e.g. {@code SELECT d.*} in a join). */
    public static Device map(ResultSet rs) throws SQLException {
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
