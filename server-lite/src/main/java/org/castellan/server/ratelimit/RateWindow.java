package org.castellan.server.ratelimit;

import java.time.Duration;
import java.util.Objects;

/** At most {@code limit} events per key in any sliding {@code length} of time. */
public record RateWindow(int limit, Duration length) {
    public RateWindow {
        Objects.requireNonNull(length, "length");
        if (limit < 1) {
            throw new IllegalArgumentException("rate limit must be at least 1, was " + limit);
        }
        if (length.isNegative() || length.isZero()) {
            throw new IllegalArgumentException("rate window must be positive, was " + length);
        }
    }

    public static RateWindow perMinute(int limit) {
        return new RateWindow(limit, Duration.ofMinutes(1));
    }

    public static RateWindow perHour(int limit) {
        return new RateWindow(limit, Duration.ofHours(1));
    }

    public static RateWindow perDay(int limit) {
        return new RateWindow(limit, Duration.ofDays(1));
    }
}
