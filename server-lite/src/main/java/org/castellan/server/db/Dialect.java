package org.castellan.server.db;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The little SQL that is not the same on SQLite and PostgreSQL. Shared stores write portable SQL
 * ({@code ON CONFLICT}, integers 0/1 bound through {@link Rows}, epoch milliseconds in BIGINT); they
 * ask the dialect only for what portable SQL cannot say: locking a key for the rest of a
 * transaction across server nodes.
 */
public enum Dialect {
    /** One writer thread: every write transaction is already serialized, locks are no-ops. */
    SQLITE("sqlite"),
    /** Several nodes: transaction-scoped advisory locks serialize what must not interleave. */
    POSTGRESQL("postgresql");

    private final String vendor;

    Dialect(String vendor) {
        this.vendor = vendor;
    }

    /** The name of its vendor-specific migration location, {@code db/<vendor>}. */
    public String vendor() {
        return vendor;
    }

    /**
     * Holds a lock on {@code key} until the caller's transaction ends, so that a read-then-write on
     * the same key (a rate-limit count, a lockout) cannot interleave with another node's.
     */
    public void lockForTransaction(Connection c, String key) throws SQLException {
        if (this == SQLITE) {
            return;
        }
        try (PreparedStatement st = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            st.setLong(1, lockId(key));
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
            }
        }
    }

    /** A stable 64-bit lock id for a name (the first 8 bytes of its SHA-256). */
    public static long lockId(String key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(("castellan-lock:" + key).getBytes(StandardCharsets.UTF_8));
            long id = 0;
            for (int i = 0; i < 8; i++) {
                id = (id << 8) | (d[i] & 0xff);
            }
            return id;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
