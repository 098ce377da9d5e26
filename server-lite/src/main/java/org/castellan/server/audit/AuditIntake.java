package org.castellan.server.audit;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.castellan.protocol.Json;
import org.castellan.server.db.Database;
import org.castellan.server.db.Rows;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audit events of the command-line tools ({@code backup}, {@code vault shares}, {@code vault
 * recover}), which run beside a server that may be serving. A tool cannot append to the chained
 * log itself: the running server keeps the log's end and its head anchor and refuses to append
 * over a log that changed behind its back. So the tool {@link #submit}s the event to the
 * {@code audit_intake} table and the server moves it into the chain: every {@link #EVERY} while
 * it runs, at start-up before it serves, and in a restore. Each queued event is deleted in the
 * transaction that appends it (and appended only by whoever deleted it, so several nodes sharing
 * a database append it once). The entry's time is when it was chained; {@code requestedAt} in its
 * detail is when the tool ran.
 */
public final class AuditIntake {
    private static final Logger LOG = LoggerFactory.getLogger(AuditIntake.class);
    public static final Duration EVERY = Duration.ofSeconds(2);

    private final Database db;
    private final AuditLog audit;
    private ScheduledExecutorService executor;

    public AuditIntake(Database db, AuditLog audit) {
        this.db = db;
        this.audit = audit;
    }

    /** Queues an event (on a connection of the tool's own, in auto-commit). */
    public static void submit(Connection c, Instant at, String action, String outcome, String reason, String detail)
            throws SQLException {
        byte[] id = new byte[16];
        new SecureRandom().nextBytes(id);
        try (PreparedStatement st = Rows.bind(c.prepareStatement("INSERT INTO audit_intake (id, requested_at, principal,"
                        + " action, outcome, reason, detail) VALUES (?, ?, ?, ?, ?, ?, ?)"),
                HexFormat.of().formatHex(id), at, "system", action, outcome, reason, detail)) {
            st.executeUpdate();
        }
    }

    /** Moves every queued event into the chained log now; returns how many. */
    public int drain() {
        boolean any = db.read(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT 1 FROM audit_intake LIMIT 1");
                 ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        });
        if (!any) {
            return 0; // the common case: no write transaction at all
        }
        return db.write(c -> drainIn(c, audit));
    }

    /** Appends and deletes every queued event inside the caller's write transaction. */
    public static int drainIn(Connection c, AuditLog audit) throws SQLException {
        record Queued(String id, long at, String principal, String action, String outcome, String reason, String detail) {}
        List<Queued> queued = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT id, requested_at, principal, action, outcome, reason, detail"
                + " FROM audit_intake ORDER BY requested_at, id");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                queued.add(new Queued(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7)));
            }
        }
        int moved = 0;
        for (Queued q : queued) {
            try (PreparedStatement st = Rows.bind(c.prepareStatement("DELETE FROM audit_intake WHERE id = ?"), q.id())) {
                if (st.executeUpdate() != 1) {
                    continue; // another node took it
                }
            }
            String detail = detail(Instant.ofEpochMilli(q.at()), q.detail());
            audit.append(c, new AuditEvent(q.principal(), q.action(), q.outcome(), null, q.reason(), null, detail));
            moved++;
        }
        return moved;
    }

    private static String detail(Instant requestedAt, String toolDetail) {
        com.fasterxml.jackson.databind.node.ObjectNode node = Json.mapper().createObjectNode();
        node.put("requestedAt", requestedAt.toString());
        if (toolDetail != null && !toolDetail.isEmpty()) {
            try {
                node.set("tool", Json.mapper().readTree(toolDetail));
            } catch (java.io.IOException e) {
                node.put("tool", toolDetail);
            }
        }
        return node.toString();
    }

    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "castellan-audit-intake");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(() -> {
            try {
                drain();
            } catch (RuntimeException e) {
                LOG.warn("moving queued tool audit events into the log failed (retried): {}", e.toString());
            }
        }, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
    }
}
