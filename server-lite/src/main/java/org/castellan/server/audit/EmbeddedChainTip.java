package org.castellan.server.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The embedded SQLite database's chain end: its one writer thread serializes appends, so the last
 * row is the end. Ids are never reused (AUTOINCREMENT's {@code sqlite_sequence} remembers the
 * highest ever taken), so deleted newest entries cannot be silently replaced by new ones.
 */
public final class EmbeddedChainTip implements ChainTip {
    private final AppendListener listener;

    public EmbeddedChainTip(AppendListener listener) {
        this.listener = listener;
    }

    @Override
    public Tip lock(Connection c) throws SQLException {
        String prevHash = AuditChain.GENESIS;
        long id = 1;
        try (PreparedStatement st = c.prepareStatement("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1");
             ResultSet rs = st.executeQuery()) {
            if (rs.next()) {
                id = rs.getLong(1) + 1;
                prevHash = rs.getString(2);
            }
        }
        try (PreparedStatement st = c.prepareStatement("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'");
             ResultSet rs = st.executeQuery()) {
            if (rs.next()) {
                id = Math.max(id, rs.getLong(1) + 1);
            }
        }
        return new Tip(id, prevHash, -1);
    }

    @Override
    public void advanced(Connection c, Tip tip, String hash) {
        listener.appended(tip.prevHash(), tip.nextId(), hash);
    }
}
