package org.castellan.server.ratelimit;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import org.castellan.server.db.Database;
import org.castellan.server.db.Rows;

/**
 * {@link LoginLockout}'s rule kept in the database, so failed logins count on every node and a
 * lock set by one node holds on all: failures in {@code rate_events}, locks in
 * {@code login_locks}, each key locked for the transaction while it is counted.
 */
public final class SharedLoginLockout implements Lockout {
    private static final String PREFIX = "login:";
    private final int maxFailures;
    private final Duration window;
    private final Duration lockFor;
    private final Database db;
    private final Clock clock;

    public SharedLoginLockout(int maxFailures, Duration window, Duration lockFor, Database db, Clock clock) {
        if (maxFailures < 1) {
            throw new IllegalArgumentException("maxFailures must be at least 1, was " + maxFailures);
        }
        this.maxFailures = maxFailures;
        this.window = window;
        this.lockFor = lockFor;
        this.db = db;
        this.clock = clock;
    }

    @Override
    public RateDecision check(String key) {
        long now = clock.millis();
        long until = db.read(c -> lockedUntil(c, PREFIX + key));
        return until > now ? RateDecision.refused(Duration.ofMillis(until - now)) : RateDecision.ALLOWED;
    }

    @Override
    public RateDecision recordFailure(String key) {
        String k = PREFIX + key;
        long now = clock.millis();
        return db.write(c -> {
            db.dialect().lockForTransaction(c, "rate:" + k);
            long until = lockedUntil(c, k);
            if (until > now) {
                // Failures while locked do not extend the lock (an attacker could keep a user locked out).
                return RateDecision.refused(Duration.ofMillis(until - now));
            }
            SharedRateLimiter.prune(c, k, now - window.toMillis());
            long failures;
            try (PreparedStatement st = Rows.bind(c.prepareStatement(
                    "SELECT COUNT(*) FROM rate_events WHERE limit_key = ?"), k);
                 ResultSet rs = st.executeQuery()) {
                rs.next();
                failures = rs.getLong(1) + 1;
            }
            if (failures >= maxFailures) {
                SharedRateLimiter.prune(c, k, Long.MAX_VALUE);
                try (PreparedStatement st = Rows.bind(c.prepareStatement("INSERT INTO login_locks (limit_key, locked_until)"
                        + " VALUES (?, ?) ON CONFLICT (limit_key) DO UPDATE SET locked_until = excluded.locked_until"),
                        k, now + lockFor.toMillis())) {
                    st.executeUpdate();
                }
                return RateDecision.refused(lockFor);
            }
            try (PreparedStatement st = Rows.bind(c.prepareStatement(
                    "INSERT INTO rate_events (limit_key, at) VALUES (?, ?)"), k, now)) {
                st.executeUpdate();
            }
            return RateDecision.ALLOWED;
        });
    }

    @Override
    public void recordSuccess(String key) {
        String k = PREFIX + key;
        long now = clock.millis();
        db.write(c -> {
            db.dialect().lockForTransaction(c, "rate:" + k);
            if (lockedUntil(c, k) <= now) {
                SharedRateLimiter.prune(c, k, Long.MAX_VALUE);
                try (PreparedStatement st = Rows.bind(c.prepareStatement("DELETE FROM login_locks WHERE limit_key = ?"), k)) {
                    st.executeUpdate();
                }
            }
            return null;
        });
    }

    private static long lockedUntil(java.sql.Connection c, String key) throws java.sql.SQLException {
        try (PreparedStatement st = Rows.bind(c.prepareStatement(
                "SELECT locked_until FROM login_locks WHERE limit_key = ?"), key);
             ResultSet rs = st.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
