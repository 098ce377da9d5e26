package org.castellan.server.ratelimit;

/** Counts events per key against limits: in memory ({@link SlidingWindowLimiter}) or shared by nodes ({@link SharedRateLimiter}). */
public interface RateLimiter {
    /** Counts one event for {@code key} if every window has room; otherwise refuses and counts nothing. */
    RateDecision tryAcquire(String key);
}
