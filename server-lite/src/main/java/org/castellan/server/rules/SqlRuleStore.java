package org.castellan.server.rules;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.castellan.server.access.Permission;
import org.castellan.server.access.PrincipalRef;
import org.castellan.server.access.Rule;
import org.castellan.server.access.TargetRef;
import org.castellan.server.db.JsonColumns;
import org.castellan.server.db.Rows;

/** Authorization rules; principals, targets, permissions and channels as JSON arrays of wire strings. */
public final class SqlRuleStore {

    public void insert(Connection c, Rule r, String createdBy, Instant now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO rules (id, name, principals, targets, permissions,"
                + " require_reason, rotate_after_read_minutes, channels, expires_at, created_by, created_at,"
                + " require_approval, require_second_factor_minutes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            Rows.bind(st, r.id(), r.name(),
                    JsonColumns.write(r.principals().stream().map(PrincipalRef::wire).toList()),
                    JsonColumns.write(r.targets().stream().map(TargetRef::wire).toList()),
                    JsonColumns.write(r.permissions().stream().sorted().map(Permission::wireName).toList()),
                    r.requireReason(), r.rotateAfterReadMinutes(), JsonColumns.write(r.channels()),
                    r.expiresAt(), createdBy, now, r.requireApproval(), r.requireSecondFactorMinutes()).executeUpdate();
        }
    }

    public List<Rule> list(Connection c) throws SQLException {
        return query(c, "SELECT * FROM rules ORDER BY id");
    }

    /**
     * Up to {@code limit} rules in id order after {@code afterId} (null: from the first): keyset
     * paging on the primary key for the API's list; an access decision reads them all ({@link #list}).
     */
    public List<Rule> page(Connection c, String afterId, int limit) throws SQLException {
        return query(c, "SELECT * FROM rules WHERE id > ? ORDER BY id LIMIT ?", afterId == null ? "" : afterId, limit);
    }

    public Optional<Rule> byId(Connection c, String id) throws SQLException {
        return query(c, "SELECT * FROM rules WHERE id = ?", id).stream().findFirst();
    }

    public void delete(Connection c, String id) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("DELETE FROM rules WHERE id = ?")) {
            Rows.bind(st, id).executeUpdate();
        }
    }

    private static List<Rule> query(Connection c, String sql, Object... params) throws SQLException {
        List<Rule> out = new ArrayList<>();
        try (PreparedStatement st = Rows.bind(c.prepareStatement(sql), params); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                EnumSet<Permission> permissions = EnumSet.noneOf(Permission.class);
                JsonColumns.read(rs.getString("permissions")).forEach(p -> permissions.add(Permission.fromWire(p)));
                out.add(new Rule(rs.getString("id"), rs.getString("name"),
                        JsonColumns.read(rs.getString("principals")).stream().map(PrincipalRef::parse).toList(),
                        JsonColumns.read(rs.getString("targets")).stream().map(TargetRef::parse).toList(),
                        permissions, rs.getInt("require_reason") == 1, Rows.integer(rs, "rotate_after_read_minutes"),
                        JsonColumns.read(rs.getString("channels")), Rows.instant(rs, "expires_at"), false,
                        rs.getInt("require_approval") == 1, Rows.integer(rs, "require_second_factor_minutes")));
            }
        }
        return out;
    }
}
