package org.castellan.server.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.castellan.server.http.ClientAddressResolver;

/**
 * Every limit the server applies, in one place for the configuration file.
 *
 * @param revealWindows per authenticated principal, for password/recovery-key reads
 * @param loginMaxFailures failed logins (per user name) within {@code loginWindow} that lock it
 * @param registrationWindows per client address (IPv6: per /64), for agent registration. Generous
 *     by default because a whole office behind one NAT may enrol at once; a registration still
 *     needs a valid registration key
 * @param trustedProxies CIDRs whose {@code X-Forwarded-For} is believed; empty = none
 */
public record RateLimitSettings(List<RateWindow> revealWindows, int loginMaxFailures, Duration loginWindow,
                                Duration loginLockFor, List<RateWindow> registrationWindows,
                                List<String> trustedProxies) {
    public static RateLimitSettings defaults() {
        return new RateLimitSettings(SlidingWindowLimiter.DEFAULT_REVEAL_WINDOWS,
                5, Duration.ofMinutes(15), Duration.ofMinutes(15),
                List.of(RateWindow.perMinute(120), RateWindow.perHour(1000)),
                List.of());
    }

    public RateLimitSettings {
        revealWindows = List.copyOf(revealWindows);
        registrationWindows = List.copyOf(registrationWindows);
        trustedProxies = List.copyOf(trustedProxies);
    }

    public RateLimitSettings withRevealWindows(List<RateWindow> windows) {
        return new RateLimitSettings(windows, loginMaxFailures, loginWindow, loginLockFor, registrationWindows,
                trustedProxies);
    }

    public SlidingWindowLimiter revealLimiter(Clock clock) {
        return new SlidingWindowLimiter(revealWindows, clock);
    }

    public SlidingWindowLimiter registrationLimiter(Clock clock) {
        return new SlidingWindowLimiter(registrationWindows, clock);
    }

    public LoginLockout loginLockout(Clock clock) {
        return new LoginLockout(loginMaxFailures, loginWindow, loginLockFor, clock);
    }

    /** The reveal limiter for this database: in memory for the embedded one, shared in the database for PostgreSQL. */
    public RateLimiter revealLimiter(Clock clock, org.castellan.server.db.Database db) {
        return db.shared() ? new SharedRateLimiter("reveal:", revealWindows, db, clock) : revealLimiter(clock);
    }

    public RateLimiter registrationLimiter(Clock clock, org.castellan.server.db.Database db) {
        return db.shared() ? new SharedRateLimiter("register:", registrationWindows, db, clock) : registrationLimiter(clock);
    }

    public Lockout loginLockout(Clock clock, org.castellan.server.db.Database db) {
        return db.shared() ? new SharedLoginLockout(loginMaxFailures, loginWindow, loginLockFor, db, clock)
                : loginLockout(clock);
    }

    public ClientAddressResolver clientAddressResolver() {
        return new ClientAddressResolver(trustedProxies);
    }
}
