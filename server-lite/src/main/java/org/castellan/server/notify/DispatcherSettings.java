package org.castellan.server.notify;

import java.time.Duration;

/**
 * Tuning for {@link WebhookDispatcher}.
 *
 * @param pollInterval how often the outbox is checked for due entries
 * @param connectTimeout TCP/TLS connect timeout per attempt
 * @param requestTimeout whole-response timeout per attempt
 * @param maxAttempts attempts before an entry is marked dead
 * @param backoff delay between attempts
 * @param batchSize most entries sent per poll, so {@link WebhookDispatcher#stop()} is prompt
 */
public record DispatcherSettings(Duration pollInterval, Duration connectTimeout, Duration requestTimeout,
                                 int maxAttempts, RetryBackoff backoff, int batchSize) {
    /** 1 s polls, 5 s/10 s timeouts, 12 attempts 5 s × 2^n capped at 1 h with 20 % jitter (≈ 5 h in all). */
    public static DispatcherSettings defaults() {
        return new DispatcherSettings(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(10), 12,
                new RetryBackoff(Duration.ofSeconds(5), Duration.ofHours(1), 0.2), 50);
    }

    public DispatcherSettings {
        if (maxAttempts < 1 || batchSize < 1) {
            throw new IllegalArgumentException("maxAttempts and batchSize must be at least 1");
        }
    }

    /** How long a claimed entry is held: one attempt's worst case plus a margin. */
    Duration lease() {
        return connectTimeout.plus(requestTimeout).plusSeconds(5);
    }
}
