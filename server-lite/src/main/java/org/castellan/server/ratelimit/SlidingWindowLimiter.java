package org.castellan.server.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A sliding-window log limiter with several windows per key (e.g. 10/minute, 50/hour, 100/day).
 *
 * <p>Each key keeps the instants of its accepted events, at most the largest window limit of
 * them; a refused attempt is not recorded, so hammering a limit does not extend it. When refused,
 * {@code retryAfter} is the time until enough counted events have left every full window for
 * one more to fit.
 *
 * <p>Thread-safe (one lock; each call is O(largest limit)). Memory is bounded: keys idle for
 * longer than the longest window are dropped, and beyond {@code maxKeys} the least recently used
 * key is dropped. Dropping a busy key forgets its history, so size {@code maxKeys} well above the
 * number of principals or addresses expected within the longest window.
 */
public final class SlidingWindowLimiter implements RateLimiter {
    /** The default reveal limits: 10/minute, 50/hour, 100/day. */
    public static final List<RateWindow> DEFAULT_REVEAL_WINDOWS =
            List.of(RateWindow.perMinute(10), RateWindow.perHour(50), RateWindow.perDay(100));
    public static final int DEFAULT_MAX_KEYS = 100_000;

    private final List<RateWindow> windows;
    private final Duration longest;
    private final int maxEvents;
    private final int maxKeys;
    private final Clock clock;
    // Access-ordered: iteration starts at the least recently used key.
    private final LinkedHashMap<String, ArrayDeque<Instant>> events = new LinkedHashMap<>(16, 0.75f, true);
    private long callsSinceSweep;

    public SlidingWindowLimiter(List<RateWindow> windows, Clock clock) {
        this(windows, clock, DEFAULT_MAX_KEYS);
    }

    public SlidingWindowLimiter(List<RateWindow> windows, Clock clock, int maxKeys) {
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("a limiter needs at least one window");
        }
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be at least 1, was " + maxKeys);
        }
        this.windows = List.copyOf(windows);
        this.longest = windows.stream().map(RateWindow::length).max(Comparator.naturalOrder()).orElseThrow();
        this.maxEvents = windows.stream().mapToInt(RateWindow::limit).max().orElseThrow();
        this.maxKeys = maxKeys;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public static SlidingWindowLimiter forReveals(Clock clock) {
        return new SlidingWindowLimiter(DEFAULT_REVEAL_WINDOWS, clock);
    }

    /** Counts one event for {@code key} if every window has room; otherwise refuses and counts nothing. */
    @Override
    public RateDecision tryAcquire(String key) {
        Objects.requireNonNull(key, "key");
        Instant now = clock.instant();
        synchronized (this) {
            maybeSweep(now);
            ArrayDeque<Instant> log = events.get(key);
            if (log != null) {
                dropOlderThan(log, now.minus(longest));
            }
            Duration wait = waitTime(log, now);
            if (!wait.isZero()) {
                return RateDecision.refused(wait);
            }
            if (log == null) {
                log = new ArrayDeque<>();
                events.put(key, log);
                evictOverflow();
            }
            log.addLast(now);
            while (log.size() > maxEvents) {
                log.removeFirst();
            }
            return RateDecision.ALLOWED;
        }
    }

    /** Like {@link #tryAcquire} but counts nothing: would an event be allowed now? */
    public synchronized RateDecision peek(String key) {
        Duration wait = waitTime(events.get(key), clock.instant());
        return wait.isZero() ? RateDecision.ALLOWED : RateDecision.refused(wait);
    }

    /** Forgets a key's history, e.g. after an administrator lifts a limit. */
    public synchronized void reset(String key) {
        events.remove(key);
    }

    synchronized int trackedKeys() {
        return events.size();
    }

    /** Zero when an event fits in every window, else the longest wait among the full windows. */
    private Duration waitTime(ArrayDeque<Instant> log, Instant now) {
        if (log == null || log.isEmpty()) {
            return Duration.ZERO;
        }
        Duration wait = Duration.ZERO;
        for (RateWindow window : windows) {
            Instant windowStart = now.minus(window.length());
            // Events strictly after windowStart are inside the window (an event exactly
            // window.length() old has left it). Newest first, so we can stop early.
            int inWindow = 0;
            Iterator<Instant> newestFirst = log.descendingIterator();
            while (newestFirst.hasNext()) {
                Instant at = newestFirst.next();
                if (!at.isAfter(windowStart)) {
                    break;
                }
                inWindow++;
            }
            if (inWindow < window.limit()) {
                continue;
            }
            // inWindow - limit + 1 of the oldest in-window events must leave; the last of those is
            // the (inWindow - limit)-th oldest counting from 0.
            int mustLeave = inWindow - window.limit();
            Iterator<Instant> oldestFirst = log.iterator();
            int skip = log.size() - inWindow + mustLeave;
            Instant blocking = null;
            for (int i = 0; i <= skip; i++) {
                blocking = oldestFirst.next();
            }
            Duration untilLeaves = Duration.between(now, blocking.plus(window.length()));
            if (untilLeaves.compareTo(wait) > 0) {
                wait = untilLeaves;
            }
        }
        return wait;
    }

    private static void dropOlderThan(ArrayDeque<Instant> log, Instant cutoff) {
        while (!log.isEmpty() && !log.peekFirst().isAfter(cutoff)) {
            log.removeFirst();
        }
    }

    private void evictOverflow() {
        Iterator<Map.Entry<String, ArrayDeque<Instant>>> lru = events.entrySet().iterator();
        while (events.size() > maxKeys && lru.hasNext()) {
            lru.next();
            lru.remove();
        }
    }

    /** Every so often, drop keys whose newest event has left the longest window. */
    private void maybeSweep(Instant now) {
        // Amortised: a full pass every 1024 calls; between passes the LRU cap bounds memory.
        if (++callsSinceSweep < 1024) {
            return;
        }
        callsSinceSweep = 0;
        Instant cutoff = now.minus(longest);
        events.values().removeIf(log -> log.isEmpty() || !log.peekLast().isAfter(cutoff));
    }

    /** Runs the idle-key sweep now (the limiter also does it by itself as calls come in). */
    public synchronized void evictIdle() {
        callsSinceSweep = 1024;
        maybeSweep(clock.instant());
    }
}
