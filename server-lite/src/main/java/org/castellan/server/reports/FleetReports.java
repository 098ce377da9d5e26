package org.castellan.server.reports;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.castellan.server.db.Rows;
import org.castellan.server.devices.Device;
import org.castellan.server.devices.DeviceScope;
import org.castellan.server.devices.SqlDeviceStore;

/**
 * The weekly fleet reports, each one query in the database on an index of V73: a list report is a
 * keyset page in the index's order (never a walk over every device, never a sort of the fleet), a
 * count report is a GROUP BY. Every query is narrowed to the caller's {@link DeviceScope} with the
 * very SQL the device list uses ({@link SqlDeviceStore#scopeSql}), so a non-admin sees only the
 * devices their rules reach. Portable SQL (SQLite and PostgreSQL); tombstones are never listed.
 */
public final class FleetReports {
    /** Ordered by (at, device id): ascending, except {@link Report#FAILING_ROTATIONS} (newest failure first). */
    public enum Report {
        STALE_DEVICES("stale-devices", "Devices not seen for N days", "last contact"),
        OVERDUE_ROTATIONS("overdue-rotations", "Rotations overdue", "password expired"),
        FAILING_ROTATIONS("failing-rotations", "Rotations failing", "last failed attempt"),
        READ_NOT_ROTATED("read-not-rotated", "Passwords read and not yet rotated", "first read"),
        UNPROTECTED_VOLUMES("unprotected-volumes", "Encrypted volumes without an escrowed recovery key", "reported");

        private final String slug;
        private final String title;
        private final String atLabel;

        Report(String slug, String title, String atLabel) {
            this.slug = slug;
            this.title = title;
            this.atLabel = atLabel;
        }

        public String slug() {
            return slug;
        }

        public String title() {
            return title;
        }

        public String atLabel() {
            return atLabel;
        }

        public boolean newestFirst() {
            return this == FAILING_ROTATIONS;
        }
    }

    /** Counted by a GROUP BY over the (scoped) live fleet. */
    public enum Count {
        AGENT_VERSIONS("agent-versions", "Agent versions", "agent_version"),
        OS_VERSIONS("os-versions", "Operating system versions", "os, os_version");

        private final String slug;
        private final String title;
        private final String columns;

        Count(String slug, String title, String columns) {
            this.slug = slug;
            this.title = title;
            this.columns = columns;
        }

        public String slug() {
            return slug;
        }

        public String title() {
            return title;
        }
    }

    /** One device of a list report: when (the report's own time) and a detail (failure, volumes, expiry). */
    public record Row(Device device, Instant at, String detail) {}

    /** The keyset position after a row: its report time (epoch ms) and device id. */
    public record Cursor(long at, String deviceId) {
        public static Cursor after(Row row) {
            return new Cursor(row.at().toEpochMilli(), row.device().id());
        }

        public String key() {
            return at + " " + deviceId;
        }

        /** The inverse of {@link #key}; null when {@code key} is not one. */
        public static Cursor parse(String key) {
            int space = key.indexOf(' ');
            if (space < 1 || space == key.length() - 1 || key.length() > 200
                    || !key.substring(space + 1).matches("[A-Za-z0-9._-]{1,100}")) {
                return null;
            }
            try {
                return new Cursor(Long.parseLong(key.substring(0, space)), key.substring(space + 1));
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    public record Tally(String value, String detail, long devices) {}

    private static final String DEVICE_COLUMNS = "d.*";
    /** The expression of the {@code devices_last_contact} index, repeated exactly so the index serves it. */
    static final String LAST_CONTACT = "COALESCE(d.last_seen_at, d.registered_at)";

    /**
     * One page of {@code report}: up to {@code limit} rows after {@code after} (null: the first page).
     * {@code threshold}: for stale devices, the last contact before which a device is stale; for
     * failing rotations, the start of the window looked at; for overdue rotations, now; else unused.
     */
    public List<Row> page(Connection c, Report report, DeviceScope scope, Instant threshold, Cursor after, int limit)
            throws SQLException {
        if (scope.isEmpty()) {
            return List.of();
        }
        List<Object> params = new ArrayList<>();
        String sql = sql(report, scope, threshold, after, limit, params);
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement st = Rows.bind(c.prepareStatement(sql), params.toArray());
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                rows.add(new Row(SqlDeviceStore.map(rs), Rows.instant(rs, "report_at"), rs.getString("report_detail")));
            }
        }
        return rows;
    }

    /** The SQL of one page, its parameters added to {@code params} in order (the query plan test reads it). */
    static String sql(Report report, DeviceScope scope, Instant threshold, Cursor after, int limit,
                      List<Object> params) {
        StringBuilder sql = new StringBuilder("SELECT ").append(DEVICE_COLUMNS).append(", ");
        String at;
        String key;
        switch (report) {
            case STALE_DEVICES -> {
                at = LAST_CONTACT;
                key = "d.id";
                sql.append(at).append(" AS report_at, NULL AS report_detail FROM devices d")
                        .append(" WHERE d.deleted_at IS NULL AND ").append(at).append(" < ?");
                params.add(threshold);
            }
            case OVERDUE_ROTATIONS -> {
                at = "r.expires_at";
                key = "r.device_id";
                sql.append("r.expires_at AS report_at, r.account AS report_detail FROM rotations r")
                        .append(" JOIN devices d ON d.id = r.device_id")
                        .append(" WHERE r.state = 'committed' AND r.expires_at < ? AND d.deleted_at IS NULL");
                params.add(threshold);
            }
            case FAILING_ROTATIONS -> {
                at = "r.aborted_at";
                key = "r.device_id";
                // The device's latest aborted attempt in the window, with no successful commit after it.
                sql.append("r.aborted_at AS report_at, r.detail AS report_detail FROM rotations r")
                        .append(" JOIN devices d ON d.id = r.device_id")
                        .append(" WHERE r.state = 'aborted' AND r.aborted_at >= ? AND d.deleted_at IS NULL")
                        .append(" AND NOT EXISTS (SELECT 1 FROM rotations n WHERE n.device_id = r.device_id")
                        .append(" AND ((n.state IN ('committed', 'superseded') AND n.committed_at > r.aborted_at)")
                        .append(" OR (n.state = 'aborted' AND (n.aborted_at > r.aborted_at")
                        .append(" OR (n.aborted_at = r.aborted_at AND n.id > r.id)))))");
                params.add(threshold);
            }
            case READ_NOT_ROTATED -> {
                at = "r.read_at";
                key = "r.device_id";
                sql.append("r.read_at AS report_at, r.account AS report_detail FROM rotations r")
                        .append(" JOIN devices d ON d.id = r.device_id")
                        .append(" WHERE r.state = 'committed' AND r.read_at IS NOT NULL AND d.deleted_at IS NULL");
            }
            case UNPROTECTED_VOLUMES -> {
                at = "u.reported_at";
                key = "u.device_id";
                sql.append("u.reported_at AS report_at, u.volumes AS report_detail FROM recovery_unprotected_volumes u")
                        .append(" JOIN devices d ON d.id = u.device_id")
                        .append(" WHERE u.volumes <> '[]' AND d.deleted_at IS NULL");
            }
            default -> throw new IllegalArgumentException(report.name());
        }
        boolean desc = report.newestFirst();
        boolean byIdOnly = report == Report.UNPROTECTED_VOLUMES;
        if (after != null) {
            if (byIdOnly) {
                sql.append(" AND ").append(key).append(" > ?");
                params.add(after.deviceId());
            } else {
                // A row-value comparison: one range on the (time, device id) index from the cursor.
                sql.append(" AND (").append(at).append(", ").append(key).append(desc ? ") < (?, ?)" : ") > (?, ?)");
                params.add(after.at());
                params.add(after.deviceId());
            }
        }
        if (!scope.all()) {
            sql.append(" AND ").append(SqlDeviceStore.scopeSql(scope, "d.", params));
        }
        String dir = desc ? " DESC" : "";
        sql.append(" ORDER BY ");
        if (!byIdOnly) {
            sql.append(at).append(dir).append(", ");
        }
        sql.append(key).append(dir).append(" LIMIT ?");
        params.add(limit);
        return sql.toString();
    }

    /** How many live devices (in scope) have each value, most common first. */
    public List<Tally> count(Connection c, Count count, DeviceScope scope) throws SQLException {
        if (scope.isEmpty()) {
            return List.of();
        }
        List<Object> params = new ArrayList<>();
        // The whole fleet: the counts the devices table's triggers keep (V91), a few rows however
        // many devices there are. A narrower scope groups just the devices it reaches, read by key.
        String sql = scope.all() ? keptCountSql(count) : countSql(count, scope, params);
        List<Tally> out = new ArrayList<>();
        try (PreparedStatement st = Rows.bind(c.prepareStatement(sql), params.toArray());
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                if (count == Count.AGENT_VERSIONS) {
                    out.add(new Tally(rs.getString(1), null, rs.getLong(2)));
                } else {
                    out.add(new Tally(rs.getString(1), rs.getString(2), rs.getLong(3)));
                }
            }
        }
        return out;
    }

    /** The kept counts of the live fleet, as {@link #countSql} would group them ('' is a NULL version). */
    static String keptCountSql(Count count) {
        return count == Count.AGENT_VERSIONS
                ? "SELECT NULLIF(agent_version, '') AS agent_version, n FROM device_agent_version_counts WHERE n > 0"
                        + " ORDER BY n DESC, agent_version"
                : "SELECT os, NULLIF(os_version, '') AS os_version, n FROM device_os_version_counts WHERE n > 0"
                        + " ORDER BY n DESC, os, os_version";
    }

    static String countSql(Count count, DeviceScope scope, List<Object> params) {
        StringBuilder sql = new StringBuilder("SELECT ").append(count.columns).append(", COUNT(*) AS n")
                .append(" FROM devices d WHERE d.deleted_at IS NULL");
        if (!scope.all()) {
            // The scope as a set to start from: its devices read by key, not the fleet tested row by row.
            sql.append(" AND ").append(SqlDeviceStore.scopeSetSql(scope, "d.", params));
        }
        sql.append(" GROUP BY ").append(count.columns).append(" ORDER BY n DESC, ").append(count.columns);
        return sql.toString();
    }
}
