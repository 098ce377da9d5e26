package org.castellan.server.notify;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: after the n-th failed attempt wait
 * {@code min(cap, base × 2^(n-1))}, shortened by up to {@code jitter} (a fraction) at random so
 * many failing deliveries do not retry in lock-step. Never longer than {@code cap}.
 */
public record RetryBackoff(Duration base, Duration cap, double jitter) {
    public RetryBackoff {
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < base <= cap");
        }
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("backoff jitter must be in [0, 1)");
        }
    }

    /** @param random values in [0, 1) */
    public Duration delayAfter(int failedAttempts, DoubleSupplier random) {
        int doublings = Math.max(0, Math.min(failedAttempts - 1, 40));
        long baseMillis = base.toMillis();
        long capMillis = cap.toMillis();
        long millis = doublings >= 62 || baseMillis > (capMillis >> doublings) ? capMillis : baseMillis << doublings;
        millis = Math.min(millis, capMillis);
        long jittered = Math.round(millis * (1.0 - jitter * random.getAsDouble()));
        return Duration.ofMillis(Math.max(1, jittered));
    }
}
