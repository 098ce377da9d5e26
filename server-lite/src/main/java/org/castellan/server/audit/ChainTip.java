package org.castellan.server.audit;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where an append, inside its write transaction, finds the end of the chain to hang the new entry
 * on, and tells it the new end. The embedded database has one writer, so reading the last row is
 * enough ({@link EmbeddedChainTip}); on PostgreSQL several nodes append at once, and the end is a
 * locked head row ({@link SharedChainHead}), so appends form one chain, never a fork.
 */
public interface ChainTip {
    /** The id and previous hash of the entry about to be appended; holds the chain until the transaction ends. */
    Tip lock(Connection c) throws SQLException;

    /** The entry {@code tip.nextId()} was inserted with {@code hash}, in the same transaction. */
    void advanced(Connection c, Tip tip, String hash) throws SQLException;

    /** @param entries how many entries the log holds before the new one (-1 when not tracked) */
    record Tip(long nextId, String prevHash, long entries) {}
}
