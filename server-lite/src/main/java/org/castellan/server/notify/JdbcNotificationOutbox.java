package org.castellan.server.notify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.castellan.server.db.SqlWork;

/** {@link NotificationOutbox} on the {@code notification_outbox} table (migration V20). */
public final class JdbcNotificationOutbox implements NotificationOutbox {
    static final int MAX_ERROR = 500;
    private static final String COLUMNS = "id, channel_id, event_id, event_type, payload, attempts, "
            + "next_attempt_at, delivered_at, dead_at, last_error, created_at";
    private static final String PENDING = "delivered_at IS NULL AND dead_at IS NULL";

    private final Transactions tx;
    private final Clock clock;

    /** The server's: every read and write goes through the one storage seam. */
    public JdbcNotificationOutbox(org.castellan.server.db.Database db, Clock clock) {
        Objects.requireNonNull(db, "db");
        this.tx = new Transactions() {
            @Override
            public <T> T read(SqlWork<T> work) {
                return db.read(work);
            }

            @Override
            public <T> T write(SqlWork<T> work) {
                return db.write(work);
            }
        };
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** On a bare pool (the outbox's own tests): one short transaction per call. */
    public JdbcNotificationOutbox(DataSource dataSource, Clock clock) {
        Objects.requireNonNull(dataSource, "dataSource");
        this.tx = new Transactions() {
            @Override
            public <T> T read(SqlWork<T> work) {
                try (Connection c = dataSource.getConnection()) {
                    return work.run(c);
                } catch (SQLException e) {
                    throw new org.castellan.server.db.StorageException("database read failed", e);
                }
            }

            @Override
            public <T> T write(SqlWork<T> work) {
                try (Connection c = dataSource.getConnection()) {
                    c.setAutoCommit(false);
                    try {
                        T result = work.run(c);
                        c.commit();
                        return result;
                    } catch (SQLException | RuntimeException | Error e) {
                        c.rollback();
                        throw e;
                    } finally {
                        c.setAutoCommit(true);
                    }
                } catch (SQLException e) {
                    throw new org.castellan.server.db.StorageException("database write failed", e);
                }
            }
        };
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    private interface Transactions {
        <T> T read(SqlWork<T> work);

        <T> T write(SqlWork<T> work);
    }

    @Override
    public long enqueue(String channelId, NotificationEvent event) {
        return tx.write(c -> enqueue(c, channelId, event));
    }

    @Override
    public long enqueue(Connection transaction, String channelId, NotificationEvent event) {
        Objects.requireNonNull(channelId, "channelId");
        long now = clock.millis();
        String sql = "INSERT INTO notification_outbox (channel_id, event_id, event_type, payload, attempts, "
                + "next_attempt_at, created_at) VALUES (?, ?, ?, ?, 0, ?, ?) "
                + "ON CONFLICT (event_id, channel_id) DO NOTHING";
        try (PreparedStatement insert = transaction.prepareStatement(sql)) {
            insert.setString(1, channelId);
            insert.setString(2, event.id());
            insert.setString(3, event.type());
            insert.setString(4, event.toJson());
            insert.setLong(5, now);
            insert.setLong(6, now);
            insert.executeUpdate();
            // Read the id back by its natural key: portable, and right for the duplicate case too.
            try (PreparedStatement select = transaction.prepareStatement(
                    "SELECT id FROM notification_outbox WHERE event_id = ? AND channel_id = ?")) {
                select.setString(1, event.id());
                select.setString(2, channelId);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("outbox row for event " + event.id() + " vanished");
                    }
                    return rs.getLong(1);
                }
            }
        } catch (SQLException e) {
            throw failure("enqueue notification " + event.id() + " for channel " + channelId, e);
        }
    }

    @Override
    public Optional<OutboxEntry> claimNext(Instant now, Instant leaseUntil) {
        String select = "SELECT " + COLUMNS + " FROM notification_outbox WHERE " + PENDING
                + " AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT 5";
        String claim = "UPDATE notification_outbox SET next_attempt_at = ? WHERE id = ? AND next_attempt_at = ? AND "
                + PENDING;
        try {
            return claim(select, claim, now, leaseUntil);
        } catch (org.castellan.server.db.StorageException e) {
            throw failure("claim the next due notification", e);
        }
    }

    /** A read first, so an idle poll is no write transaction; then the compare-and-set claims in one write. */
    private Optional<OutboxEntry> claim(String select, String claim, Instant now, Instant leaseUntil) {
        List<OutboxEntry> due = tx.read(c -> {
            List<OutboxEntry> found = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(select)) {
                ps.setLong(1, now.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(read(rs));
                    }
                }
            }
            return found;
        });
        if (due.isEmpty()) {
            return Optional.empty();
        }
        // Compare-and-set on next_attempt_at: only one claimant can move it (on any node).
        return tx.write(c -> {
            for (OutboxEntry entry : due) {
                try (PreparedStatement ps = c.prepareStatement(claim)) {
                    ps.setLong(1, leaseUntil.toEpochMilli());
                    ps.setLong(2, entry.id());
                    ps.setLong(3, entry.nextAttemptAt().toEpochMilli());
                    if (ps.executeUpdate() == 1) {
                        return Optional.of(entry);
                    }
                }
            }
            return Optional.<OutboxEntry>empty();
        });
    }

    @Override
    public void markDelivered(long id, Instant at) {
        update("mark notification " + id + " delivered",
                "UPDATE notification_outbox SET delivered_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?",
                at.toEpochMilli(), id);
    }

    @Override
    public void markFailed(long id, int attempts, Instant nextAttemptAt, String error) {
        update("record failed delivery of notification " + id,
                "UPDATE notification_outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ? AND "
                        + PENDING,
                attempts, nextAttemptAt.toEpochMilli(), truncate(error), id);
    }

    @Override
    public void markDead(long id, int attempts, Instant at, String error) {
        update("give up on notification " + id,
                "UPDATE notification_outbox SET attempts = ?, dead_at = ?, last_error = ? WHERE id = ? AND " + PENDING,
                attempts, at.toEpochMilli(), truncate(error), id);
    }

    @Override
    public Optional<OutboxEntry> find(long id) {
        List<OutboxEntry> found = query("SELECT " + COLUMNS + " FROM notification_outbox WHERE id = ?", id);
        return found.stream().findFirst();
    }

    @Override
    public List<OutboxEntry> findByEvent(String eventId) {
        return query("SELECT " + COLUMNS + " FROM notification_outbox WHERE event_id = ? ORDER BY id", eventId);
    }

    @Override
    public int pendingCount() {
        try {
            return tx.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM notification_outbox WHERE " + PENDING);
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
        } catch (org.castellan.server.db.StorageException e) {
            throw failure("count pending notifications", e);
        }
    }

    private List<OutboxEntry> query(String sql, Object key) {
        try {
            return tx.read(c -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setObject(1, key);
                    List<OutboxEntry> out = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(read(rs));
                        }
                    }
                    return out;
                }
            });
        } catch (org.castellan.server.db.StorageException e) {
            throw failure("read notification outbox", e);
        }
    }

    private void update(String what, String sql, Object... args) {
        try {
            tx.write(c -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    for (int i = 0; i < args.length; i++) {
                        ps.setObject(i + 1, args[i]);
                    }
                    return ps.executeUpdate();
                }
            });
        } catch (org.castellan.server.db.StorageException e) {
            throw failure(what, e);
        }
    }

    private static OutboxEntry read(ResultSet rs) throws SQLException {
        return new OutboxEntry(rs.getLong("id"), rs.getString("channel_id"), rs.getString("event_id"),
                rs.getString("event_type"), rs.getString("payload"), rs.getInt("attempts"),
                instant(rs, "next_attempt_at"), instant(rs, "delivered_at"), instant(rs, "dead_at"),
                rs.getString("last_error"), instant(rs, "created_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    private static String truncate(String error) {
        return error == null || error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR);
    }

    private static IllegalStateException failure(String what, Exception e) {
        return new OutboxException(what + ": " + e.getMessage(), e);
    }

    /** A database failure in the outbox, with what was being done. */
    public static final class OutboxException extends IllegalStateException {
        OutboxException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
