package org.castellan.server.ratelimit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.castellan.server.db.Database;
import org.castellan.server.db.Rows;

/**
 * {@link SlidingWindowLimiter}'s rule counted in the database ({@code rate_events}), so every node
 * sharing a PostgreSQL database counts the same events: the 11th reveal in a minute is refused
 * whichever node it reaches. The key is locked for the transaction
 * ({@link org.castellan.server.db.Dialect#lockForTransaction}), so two nodes cannot both count the
 * last free slot. A refused attempt is not counted.
 */
public final class SharedRateLimiter implements RateLimiter {
    private final List<RateWindow> windows;
    private final Duration longest;
    private final Database db;
    private final Clock clock;
    private final String prefix;

    /** @param prefix keeps this limiter's keys apart from other limiters' in the shared table */
    public SharedRateLimiter(String prefix, List<RateWindow> windows, Database db, Clock clock) {
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("a limiter needs at least one window");
        }
        this.prefix = prefix;
        this.windows = List.copyOf(windows);
        this.longest = windows.stream().map(RateWindow::length).max(Comparator.naturalOrder()).orElseThrow();
        this.db = db;
        this.clock = clock;
    }

    @Override
    public RateDecision tryAcquire(String key) {
        String k = prefix + key;
        long now = clock.millis();
        return db.write(c -> {
            db.dialect().lockForTransaction(c, "rate:" + k);
            prune(c, k, now - longest.toMillis());
            Duration wait = Duration.ZERO;
            for (RateWindow window : windows) {
                long start = now - window.length().toMillis();
                long count;
                long oldest;
                try (PreparedStatement st = Rows.bind(c.prepareStatement(
                        "SELECT COUNT(*), MIN(at) FROM rate_events WHERE limit_key = ? AND at > ?"), k, start);
                     ResultSet rs = st.executeQuery()) {
                    rs.next();
                    count = rs.getLong(1);
                    oldest = rs.getLong(2);
                }
                if (count >= window.limit()) {
                    Duration untilFree = Duration.ofMillis(Math.max(1, oldest + window.length().toMillis() - now));
                    if (untilFree.compareTo(wait) > 0) {
                        wait = untilFree;
                    }
                }
            }
            if (!wait.isZero()) {
                return RateDecision.refused(wait);
            }
            try (PreparedStatement st = Rows.bind(c.prepareStatement(
                    "INSERT INTO rate_events (limit_key, at) VALUES (?, ?)"), k, now)) {
                st.executeUpdate();
            }
            return RateDecision.ALLOWED;
        });
    }

    static void prune(Connection c, String key, long before) throws SQLException {
        try (PreparedStatement st = Rows.bind(c.prepareStatement(
                "DELETE FROM rate_events WHERE limit_key = ? AND at <= ?"), key, before)) {
            st.executeUpdate();
        }
    }
}
