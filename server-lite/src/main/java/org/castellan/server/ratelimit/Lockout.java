package org.castellan.server.ratelimit;

/** Login lockouts: in memory ({@link LoginLockout}) or shared by nodes ({@link SharedLoginLockout}). */
public interface Lockout {
    /** Allowed, or refused with the time left on the lock. Counts nothing. */
    RateDecision check(String key);

    /** Records a failed login; returns refused (the new lock) if this failure locked the key. */
    RateDecision recordFailure(String key);

    /** A successful login clears the failures (not an active lock: check first). */
    void recordSuccess(String key);
}
