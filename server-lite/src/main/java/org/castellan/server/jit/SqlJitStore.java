package org.castellan.server.jit;

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
import org.castellan.server.devices.SqlDeviceStore;

/** Just-in-time grants ({@code jit_grants}), plain portable SQL. */
public final class SqlJitStore {

    public void insert(Connection c, JitGrantRow g) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO jit_grants (id, device_id, account,"
                + " duration_seconds, reason, requested_by, requested_at, approval_required, approved_by, approved_at,"
                + " expires_at, channels) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            Rows.bind(st, g.id(), g.deviceId(), g.account(), g.durationSeconds(), g.reason(), g.requestedBy(),
                    g.requestedAt(), g.approvalRequired(), g.approvedBy(), g.approvedAt(), g.expiresAt(),
                    JsonColumns.write(g.channels())).executeUpdate();
        }
    }

    public Optional<JitGrantRow> byId(Connection c, String id) throws SQLException {
        return query(c, "SELECT * FROM jit_grants WHERE id = ?", id).stream().findFirst();
    }

    /**
     * One page of requests, newest first (see {@link JitQuery}); the list confirms each row with
     * the caller's full access decision. Portable SQL, served by {@code jit_grants_requested
     * (requested_at DESC, id)} or, for one device, {@code jit_grants_device (device_id,
     * requested_at DESC, id)}: a range search from the cursor, in index order, never a sort.
     */
    public List<JitGrantRow> page(Connection c, JitQuery q) throws SQLException {
        if (q.scope().isEmpty()) {
            return List.of();
        }
        List<Object> params = new ArrayList<>();
        String sql = pageSql(q, params);
        return query(c, sql, params.toArray());
    }

    static String pageSql(JitQuery q, List<Object> params) {
        StringBuilder sql = new StringBuilder("SELECT g.* FROM jit_grants g");
        if (!q.scope().all()) {
            sql.append(" JOIN devices d ON d.id = g.device_id");
        }
        // Always a cursor (above every time on the first page), so every page has the same plan: the
        // first conjunct is the index range, the second skips the cursor's own time up to its id.
        long after = q.afterRequestedAt() == null ? Long.MAX_VALUE : q.afterRequestedAt().toEpochMilli();
        sql.append(" WHERE g.requested_at <= ? AND (g.requested_at < ? OR g.id > ?)");
        params.add(after);
        params.add(after);
        params.add(q.afterId() == null ? "" : q.afterId());
        if (q.deviceId() != null) {
            sql.append(" AND g.device_id = ?");
            params.add(q.deviceId());
        } else if (q.since() != null) {
            sql.append(" AND (g.requested_at >= ? OR g.expires_at >= ? OR g.expires_at IS NULL)");
            params.add(q.since().toEpochMilli());
            params.add(q.since().toEpochMilli());
        }
        if (!q.scope().all()) {
            sql.append(" AND ").append(SqlDeviceStore.scopeSql(q.scope(), "d.", params));
        }
        sql.append(" ORDER BY g.requested_at DESC, g.id LIMIT ?");
        params.add(q.limit());
        return sql.toString();
    }

    /** What the device must hold now: approved, not revoked, not yet expired. */
    public List<JitGrantRow> activeOn(Connection c, String deviceId, Instant now) throws SQLException {
        return query(c, "SELECT * FROM jit_grants WHERE device_id = ? AND revoked_at IS NULL AND expires_at > ?"
                + " ORDER BY expires_at, id", deviceId, now);
    }

    /** True while a request for the device waits for approval (within the approval window). */
    public boolean pendingOn(Connection c, String deviceId, Instant now) throws SQLException {
        return !query(c, "SELECT * FROM jit_grants WHERE device_id = ? AND revoked_at IS NULL AND expires_at IS NULL"
                + " AND requested_at > ?", deviceId, now.minus(JitGrantRow.APPROVAL_WINDOW)).isEmpty();
    }

    /** Approves a pending request: the right starts now. False when it was not pending any more. */
    public boolean approve(Connection c, String id, String approver, Instant now, Instant expiresAt) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("UPDATE jit_grants SET approved_by = ?, approved_at = ?,"
                + " expires_at = ? WHERE id = ? AND expires_at IS NULL AND revoked_at IS NULL")) {
            return Rows.bind(st, approver, now, expiresAt, id).executeUpdate() == 1;
        }
    }

    public boolean revoke(Connection c, String id, String by, Instant now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "UPDATE jit_grants SET revoked_by = ?, revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
            return Rows.bind(st, by, now, id).executeUpdate() == 1;
        }
    }

    public void agentReport(Connection c, String id, String state, Instant at, String detail) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "UPDATE jit_grants SET agent_state = ?, agent_state_at = ?, agent_detail = ? WHERE id = ?")) {
            Rows.bind(st, state, at, detail, id).executeUpdate();
        }
    }

    private static List<JitGrantRow> query(Connection c, String sql, Object... params) throws SQLException {
        List<JitGrantRow> out = new ArrayList<>();
        try (PreparedStatement st = Rows.bind(c.prepareStatement(sql), params); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(new JitGrantRow(rs.getString("id"), rs.getString("device_id"), rs.getString("account"),
                        rs.getLong("duration_seconds"), rs.getString("reason"), rs.getString("requested_by"),
                        Rows.instant(rs, "requested_at"), rs.getInt("approval_required") == 1,
                        rs.getString("approved_by"), Rows.instant(rs, "approved_at"), Rows.instant(rs, "expires_at"),
                        rs.getString("revoked_by"), Rows.instant(rs, "revoked_at"), rs.getString("agent_state"),
                        Rows.instant(rs, "agent_state_at"), rs.getString("agent_detail"),
                        JsonColumns.read(rs.getString("channels"))));
            }
        }
        return out;
    }
}
