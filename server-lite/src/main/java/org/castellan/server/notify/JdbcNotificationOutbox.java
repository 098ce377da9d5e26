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

/** {@link NotificationOutbox} on the {@code notification_outbox} table (migration V20). */
public final class JdbcNotificationOutbox implements NotificationOutbox {
    static final int MAX_ERROR = 500;
    private static final String COLUMNS = "id, channel_id, event_id, event_type, payload, attempts, "
            + "next_attempt_at, delivered_at, dead_at, last_error, created_at";
    private static final String PENDING = "delivered_at IS NULL AND dead_at IS NULL";

    private final DataSource dataSource;
    private final Clock clock;

    public JdbcNotificationOutbox(DataSource dataSource, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public long enqueue(String channelId, NotificationEvent event) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                long id = enqueue(c, channelId, event);
                c.commit();
                return id;
            } catch (RuntimeException | Error e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw failure("enqueue notification " + event.id() + " for channel " + channelId, e);
        }
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
        try (Connection c = dataSource.getConnection()) {
            List<OutboxEntry> due = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(select)) {
                ps.setLong(1, now.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        due.add(read(rs));
                    }
                }
            }
            // Compare-and-set on next_attempt_at: only one claimant can move it.
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
            return Optional.empty();
        } catch (SQLException e) {
            throw failure("claim the next due notification", e);
        }
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
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM notification_outbox WHERE " + PENDING);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw failure("count pending notifications", e);
        }
    }

    private List<OutboxEntry> query(String sql, Object key) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, key);
            List<OutboxEntry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("read notification outbox", e);
        }
    }

    private void update(String what, String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
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

    private static IllegalStateException failure(String what, SQLException e) {
        return new OutboxException(what + ": " + e.getMessage(), e);
    }

    /** A database failure in the outbox, with what was being done. */
    public static final class OutboxException extends IllegalStateException {
        OutboxException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
