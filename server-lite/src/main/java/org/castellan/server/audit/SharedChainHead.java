package org.castellan.server.audit;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import org.castellan.server.db.Rows;

/**
 * The chain's end on PostgreSQL, shared by every node: the one row of {@code audit_chain_head}
 * (migration V60). Each append locks it ({@code SELECT … FOR UPDATE}) for the rest of its
 * transaction, so concurrent appends from any number of nodes queue on it and form one chain; it
 * checks the row's HMAC (under the anchor key, which is not in the database) and that
 * {@code audit_log} still ends where the row says, and moves it on in the same transaction.
 * Deleting or truncating audit entries without the key therefore leaves a row they no longer
 * reach; forging a shorter head needs the key.
 */
public final class SharedChainHead implements ChainTip {
    private final HeadAnchorFile key;
    private final Clock clock;

    public SharedChainHead(HeadAnchorFile key, Clock clock) {
        this.key = key;
        this.clock = clock;
    }

    /** The stored row: the head it records and its HMAC. */
    public record Row(AuditHead head, String hmac) {}

    public static Optional<Row> read(Connection c, boolean forUpdate) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT last_id, last_hash, entries, hmac FROM audit_chain_head"
                + " WHERE singleton = 1" + (forUpdate ? " FOR UPDATE" : ""));
             ResultSet rs = st.executeQuery()) {
            return rs.next() ? Optional.of(new Row(new AuditHead(rs.getLong(1), rs.getString(2), rs.getLong(3)),
                    rs.getString(4))) : Optional.empty();
        }
    }

    /** Writes the row (first start, re-anchor); in the caller's transaction. */
    public void put(Connection c, AuditHead head) throws SQLException {
        String hmac = macOf(head);
        try (PreparedStatement st = c.prepareStatement("INSERT INTO audit_chain_head (singleton, last_id, last_hash,"
                + " entries, hmac, updated_at) VALUES (1, ?, ?, ?, ?, ?) ON CONFLICT (singleton) DO UPDATE SET"
                + " last_id = excluded.last_id, last_hash = excluded.last_hash, entries = excluded.entries,"
                + " hmac = excluded.hmac, updated_at = excluded.updated_at")) {
            Rows.bind(st, head.id(), head.hash(), head.count(), hmac, clock.millis()).executeUpdate();
        }
    }

    /** Whether the row's HMAC is right under this node's anchor key. */
    public boolean authentic(Row row) {
        try {
            return key.macMatches(row.head(), row.hmac());
        } catch (IOException e) {
            throw new AuditAnchorException("the audit anchor key cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public Tip lock(Connection c) throws SQLException {
        Row row = read(c, true).orElseThrow(() -> new AuditAnchorException(
                "the audit chain head row is missing from the database; refusing to append"));
        if (!authentic(row)) {
            throw new AuditAnchorException("the audit chain head row fails its HMAC check (forged, or this node's "
                    + HeadAnchorFile.DIRECTORY + "/" + HeadAnchorFile.KEY + " differs from the other nodes'); refusing to append");
        }
        AuditHead head = row.head();
        try (PreparedStatement st = c.prepareStatement("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1");
             ResultSet rs = st.executeQuery()) {
            boolean matches = rs.next() ? rs.getLong(1) == head.id() && rs.getString(2).equals(head.hash())
                    : head.id() == 0;
            if (!matches) {
                throw new AuditAnchorException("the audit log was changed outside the server: it should end at entry "
                        + head.id() + "; refusing to append over it");
            }
        }
        return new Tip(head.id() + 1, head.hash(), head.count());
    }

    @Override
    public void advanced(Connection c, Tip tip, String hash) throws SQLException {
        AuditHead next = new AuditHead(tip.nextId(), hash, tip.entries() + 1);
        try (PreparedStatement st = c.prepareStatement("UPDATE audit_chain_head SET last_id = ?, last_hash = ?,"
                + " entries = ?, hmac = ?, updated_at = ? WHERE singleton = 1")) {
            Rows.bind(st, next.id(), next.hash(), next.count(), macOf(next), clock.millis()).executeUpdate();
        }
    }

    private String macOf(AuditHead head) {
        try {
            return key.macHex(head);
        } catch (IOException e) {
            throw new AuditAnchorException("the audit anchor key cannot be read: " + e.getMessage(), e);
        }
    }
}
