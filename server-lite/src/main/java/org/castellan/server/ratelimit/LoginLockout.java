package org.castellan.server.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Locks a key (a user name, or an address) for {@code lockFor} once it has
 * {@code maxFailures} failed logins within {@code window}; a successful login clears the count.
 *
 * <p>Callers check {@link #check} before verifying a password (a locked key is refused without
 * spending an Argon2 hash), then report the outcome. Thread-safe; memory bounded as in
 * {@link SlidingWindowLimiter}: idle keys are swept and at most {@code maxKeys} are tracked.
 */
public final class LoginLockout implements Lockout {
    private final int maxFailures;
    private final Duration window;
    private final Duration lockFor;
    private final Clock clock;
    private final int maxKeys;
    private final LinkedHashMap<String, State> states = new LinkedHashMap<>(16, 0.75f, true);
    private long callsSinceSweep;

    private static final class State {
        final ArrayDeque<Instant> failures = new ArrayDeque<>();
        Instant lockedUntil;
    }

    public LoginLockout(int maxFailures, Duration window, Duration lockFor, Clock clock) {
        this(maxFailures, window, lockFor, clock, SlidingWindowLimiter.DEFAULT_MAX_KEYS);
    }

    public LoginLockout(int maxFailures, Duration window, Duration lockFor, Clock clock, int maxKeys) {
        if (maxFailures < 1) {
            throw new IllegalArgumentException("maxFailures must be at least 1, was " + maxFailures);
        }
        if (window.isNegative() || window.isZero() || lockFor.isNegative() || lockFor.isZero()) {
            throw new IllegalArgumentException("lockout window and duration must be positive");
        }
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be at least 1, was " + maxKeys);
        }
        this.maxFailures = maxFailures;
        this.window = window;
        this.lockFor = lockFor;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxKeys = maxKeys;
    }

    /** Allowed, or refused with the time left on the lock. Counts nothing. */
    @Override
    public synchronized RateDecision check(String key) {
        State state = states.get(key);
        Instant now = clock.instant();
        if (state != null && state.lockedUntil != null && now.isBefore(state.lockedUntil)) {
            return RateDecision.refused(Duration.between(now, state.lockedUntil));
        }
        return RateDecision.ALLOWED;
    }

    /** Records a failed login; returns refused (the new lock) if this failure locked the key. */
    @Override
    public synchronized RateDecision recordFailure(String key) {
        Objects.requireNonNull(key, "key");
        Instant now = clock.instant();
        sweepNowAndThen(now);
        State state = states.get(key);
        if (state == null) {
            state = new State();
            states.put(key, state);
            evictOverflow();
        }
        if (state.lockedUntil != null && now.isBefore(state.lockedUntil)) {
            // Failures while locked do not extend the lock: an attacker could otherwise keep a
            // legitimate user locked out indefinitely at no cost.
            return RateDecision.refused(Duration.between(now, state.lockedUntil));
        }
        Instant cutoff = now.minus(window);
        while (!state.failures.isEmpty() && !state.failures.peekFirst().isAfter(cutoff)) {
            state.failures.removeFirst();
        }
        state.failures.addLast(now);
        if (state.failures.size() >= maxFailures) {
            state.failures.clear();
            state.lockedUntil = now.plus(lockFor);
            return RateDecision.refused(lockFor);
        }
        return RateDecision.ALLOWED;
    }

    /** A successful login clears the failures (not an active lock: check first). */
    @Override
    public synchronized void recordSuccess(String key) {
        State state = states.get(key);
        if (state != null && (state.lockedUntil == null || !clock.instant().isBefore(state.lockedUntil))) {
            states.remove(key);
        }
    }

    synchronized int trackedKeys() {
        return states.size();
    }

    private void evictOverflow() {
        Iterator<Map.Entry<String, State>> lru = states.entrySet().iterator();
        while (states.size() > maxKeys && lru.hasNext()) {
            lru.next();
            lru.remove();
        }
    }

    private void sweepNowAndThen(Instant now) {
        if (++callsSinceSweep < 1024) {
            return;
        }
        callsSinceSweep = 0;
        Instant cutoff = now.minus(window);
        states.values().removeIf(s -> (s.lockedUntil == null || !now.isBefore(s.lockedUntil))
                && (s.failures.isEmpty() || !s.failures.peekLast().isAfter(cutoff)));
    }
}
