package org.castellan.server.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.castellan.server.db.Rows;

/** The audit log in the {@code audit_log} table. Callers append inside a write transaction. */
public final class SqlAuditLog implements AuditLog {
    private static final String COLUMNS =
            "id, at, principal, action, outcome, device_id, reason, client_address, detail, prev_hash, hash";
    private final Clock clock;
    private final ChainTip tip;

    /** On the embedded SQLite database, with nobody listening (verification, tests). */
    public SqlAuditLog(Clock clock) {
        this(clock, AppendListener.NONE);
    }

    /** On the embedded SQLite database; {@code listener} hears each append inside its transaction (the head anchor). */
    public SqlAuditLog(Clock clock, AppendListener listener) {
        this(clock, new EmbeddedChainTip(listener));
    }

    /** Where appends find the chain's end: {@link EmbeddedChainTip} or {@link SharedChainHead}. */
    public SqlAuditLog(Clock clock, ChainTip tip) {
        this.clock = clock;
        this.tip = tip;
    }

    @Override
    public void append(Connection c, AuditEvent event) throws SQLException {
        ChainTip.Tip tip = this.tip.lock(c);
        long id = tip.nextId();
        String prevHash = tip.prevHash();
        Instant at = Instant.ofEpochMilli(clock.millis());
        String hash = AuditChain.hash(prevHash, id, at, event);
        try (PreparedStatement st = c.prepareStatement("INSERT INTO audit_log (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            Rows.bind(st, id, at, event.principal(), event.action(), event.outcome(), event.deviceId(),
                    event.reason(), event.clientAddress(), event.detail(), prevHash, hash).executeUpdate();
        }
        this.tip.advanced(c, tip, hash);
    }

    /** The newest entry's id and hash and the number of entries ({@link AuditHead#EMPTY} for an empty log). */
    public static AuditHead head(Connection c) throws SQLException {
        long count;
        try (PreparedStatement st = c.prepareStatement("SELECT COUNT(*) FROM audit_log");
             ResultSet rs = st.executeQuery()) {
            rs.next();
            count = rs.getLong(1);
        }
        try (PreparedStatement st = c.prepareStatement("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1");
             ResultSet rs = st.executeQuery()) {
            return rs.next() ? new AuditHead(rs.getLong(1), rs.getString(2), count) : AuditHead.EMPTY;
        }
    }

    /** The stored hash of entry {@code id}, null when there is no such entry. */
    public static String hashOf(Connection c, long id) throws SQLException {
        try (PreparedStatement st = Rows.bind(c.prepareStatement("SELECT hash FROM audit_log WHERE id = ?"), id);
             ResultSet rs = st.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** How many entries have an id up to and including {@code id}. */
    public static long countUpTo(Connection c, long id) throws SQLException {
        try (PreparedStatement st = Rows.bind(c.prepareStatement("SELECT COUNT(*) FROM audit_log WHERE id <= ?"), id);
             ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public List<AuditEntry> find(Connection c, AuditQuery q) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_log WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (q.deviceId() != null) {
            sql.append(" AND device_id = ?");
            params.add(q.deviceId());
        }
        if (q.principal() != null) {
            sql.append(" AND principal = ?");
            params.add(q.principal());
        }
        if (q.action() != null) {
            sql.append(" AND action = ?");
            params.add(q.action());
        }
        if (q.since() != null) {
            sql.append(" AND at >= ?");
            params.add(q.since());
        }
        if (q.outcome() != null) {
            sql.append(" AND outcome = ?");
            params.add(q.outcome());
        }
        if (q.until() != null) {
            sql.append(" AND at < ?");
            params.add(q.until());
        }
        if (q.beforeId() != null) {
            sql.append(" AND id < ?");
            params.add(q.beforeId());
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        params.add(q.limit());
        List<AuditEntry> entries = new ArrayList<>();
        try (PreparedStatement st = Rows.bind(c.prepareStatement(sql.toString()), params.toArray());
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                entries.add(map(rs));
            }
        }
        return entries;
    }

    @Override
    public void forEach(Connection c, Consumer<AuditEntry> consumer) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS + " FROM audit_log ORDER BY id");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                consumer.accept(map(rs));
            }
        }
    }

    /** Up to {@code limit} entries after {@code afterId}, in id order (the background chain check reads in steps). */
    public static List<AuditEntry> after(Connection c, long afterId, int limit) throws SQLException {
        List<AuditEntry> entries = new java.util.ArrayList<>();
        try (PreparedStatement st = Rows.bind(c.prepareStatement(
                "SELECT " + COLUMNS + " FROM audit_log WHERE id > ? ORDER BY id LIMIT ?"), afterId, limit);
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                entries.add(map(rs));
            }
        }
        return entries;
    }

    private static AuditEntry map(ResultSet rs) throws SQLException {
        return new AuditEntry(rs.getLong("id"), Rows.instant(rs, "at"), rs.getString("principal"),
                rs.getString("action"), rs.getString("outcome"), rs.getString("device_id"),
                rs.getString("reason"), rs.getString("client_address"), rs.getString("detail"),
                rs.getString("prev_hash"), rs.getString("hash"));
    }
}
