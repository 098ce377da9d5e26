package org.castellan.server.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which node runs a cluster-wide job (the history purge, the webhook dispatcher): on the embedded
 * database the one process always does; on PostgreSQL the node holding a session-level advisory
 * lock on a connection of its own. The lock lives as long as that connection: a node that dies or
 * loses its connection loses it, and the next node to ask takes it over. Ask before each run.
 */
public final class JobLeader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobLeader.class);
    private final String job;
    private final PostgresDatabase db; // null: embedded, always leader
    private Connection held; // guarded by this

    private JobLeader(String job, PostgresDatabase db) {
        this.job = job;
        this.db = db;
    }

    public static JobLeader of(Database db, String job) {
        return new JobLeader(job, db instanceof PostgresDatabase pg ? pg : null);
    }

    /** Whether this node runs {@code job} now (taking the lead if nobody holds it). */
    public synchronized boolean lead() {
        if (db == null) {
            return true;
        }
        try {
            if (held != null) {
                if (held.isValid(2)) {
                    return true;
                }
                closeQuietly();
            }
            Connection c = db.dedicatedConnection();
            boolean got;
            try (PreparedStatement st = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                st.setLong(1, Dialect.lockId("job:" + job));
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    got = rs.getBoolean(1);
                }
            }
            if (got) {
                held = c;
                LOG.info("This node now runs the {} job", job);
            } else {
                c.close();
            }
            return got;
        } catch (SQLException e) {
            closeQuietly();
            return false;
        }
    }

    private void closeQuietly() {
        if (held != null) {
            try {
                held.close();
            } catch (SQLException ignored) {
                // the lock goes with the connection either way
            }
            held = null;
        }
    }

    /** Gives the lead up (at stop), so another node takes it at its next run. */
    @Override
    public synchronized void close() {
        closeQuietly();
    }
}
