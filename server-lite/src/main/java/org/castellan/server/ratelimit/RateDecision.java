package org.castellan.server.ratelimit;

import java.time.Duration;

/**
 * The answer of a limiter: allowed, or refused with how long until trying again can succeed.
 *
 * @param retryAfter zero when allowed
 */
public record RateDecision(boolean allowed, Duration retryAfter) {
    public static final RateDecision ALLOWED = new RateDecision(true, Duration.ZERO);

    public static RateDecision refused(Duration retryAfter) {
        return new RateDecision(false, retryAfter);
    }

    /** Whole seconds for a {@code Retry-After} header: rounded up, at least 1 when refused. */
    public long retryAfterSeconds() {
        if (allowed) {
            return 0;
        }
        long seconds = retryAfter.getSeconds() + (retryAfter.getNano() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }
}
