package org.castellan.server.ratelimit;

import org.castellan.server.testing.NoDatabase;
import org.castellan.server.testing.TestClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

@NoDatabase("no database, no server: the same on either backend")
class SlidingWindowLimiterTest {
    final TestClock clock = new TestClock(Instant.parse("2026-11-22T00:00:00Z"));
    final SlidingWindowLimiter reveals = SlidingWindowLimiter.forReveals(clock);

    @Test
    void eleventhRevealInAMinuteIsRefusedWithRetryAfterUntilTheFirstLeaves() {
        for (int i = 0; i < 10; i++) {
            assertThat(reveals.tryAcquire("user:1").allowed()).as("reveal %d", i + 1).isTrue();
            clock.advance(Duration.ofSeconds(2));
        }
        // Now 20 s after the first reveal: it leaves the minute window in 40 s.
        RateDecision eleventh = reveals.tryAcquire("user:1");
        assertThat(eleventh.allowed()).isFalse();
        assertThat(eleventh.retryAfter()).isEqualTo(Duration.ofSeconds(40));
        assertThat(eleventh.retryAfterSeconds()).isEqualTo(40).isLessThanOrEqualTo(60);

        clock.advance(Duration.ofSeconds(39));
        assertThat(reveals.tryAcquire("user:1").allowed()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(reveals.tryAcquire("user:1").allowed()).isTrue();
        // The second reveal (at +2 s) leaves the window 2 s later, not before.
        RateDecision next = reveals.tryAcquire("user:1");
        assertThat(next.allowed()).isFalse();
        assertThat(next.retryAfter()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void burstOfTenRefusesTheEleventhForAtMostSixtySeconds() {
        for (int i = 0; i < 10; i++) {
            assertThat(reveals.tryAcquire("u").allowed()).isTrue();
        }
        RateDecision refused = reveals.tryAcquire("u");
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(60));
        clock.advance(refused.retryAfter());
        assertThat(reveals.tryAcquire("u").allowed()).isTrue();
    }

    @Test
    void refusedAttemptsAreNotCountedSoTheyDoNotExtendTheWait() {
        for (int i = 0; i < 10; i++) {
            reveals.tryAcquire("u");
        }
        for (int i = 0; i < 30; i++) {
            clock.advance(Duration.ofSeconds(1));
            assertThat(reveals.tryAcquire("u").allowed()).isFalse();
        }
        clock.advance(Duration.ofSeconds(30));
        assertThat(reveals.tryAcquire("u").allowed()).isTrue();
    }

    @Test
    void hourlyWindowRefusesTheFiftyFirstEvenWhenEachMinuteIsUnderItsLimit() {
        Instant first = clock.instant();
        for (int i = 0; i < 50; i++) {
            assertThat(reveals.tryAcquire("u").allowed()).as("reveal %d", i + 1).isTrue();
            clock.advance(Duration.ofSeconds(65)); // 1 per minute: never near 10/min
        }
        RateDecision refused = reveals.tryAcquire("u");
        assertThat(refused.allowed()).isFalse();
        // The oldest of the 50 leaves the hour at first + 1 h.
        assertThat(refused.retryAfter()).isEqualTo(Duration.between(clock.instant(), first.plus(Duration.ofHours(1))));
        clock.advance(refused.retryAfter());
        assertThat(reveals.tryAcquire("u").allowed()).isTrue();
    }

    @Test
    void dailyWindowRefusesTheHundredAndFirstAndAnswersTheLongestWait() {
        Instant first = clock.instant();
        for (int i = 0; i < 100; i++) {
            assertThat(reveals.tryAcquire("u").allowed()).as("reveal %d", i + 1).isTrue();
            clock.advance(Duration.ofMinutes(10)); // 6 an hour: under both shorter limits
        }
        RateDecision refused = reveals.tryAcquire("u");
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfter()).isEqualTo(Duration.between(clock.instant(), first.plus(Duration.ofDays(1))));
        clock.advance(refused.retryAfter().minusSeconds(1));
        assertThat(reveals.tryAcquire("u").allowed()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(reveals.tryAcquire("u").allowed()).isTrue();
    }

    @Test
    void whenSeveralWindowsAreFullTheWaitCoversAllOfThem() {
        SlidingWindowLimiter limiter = new SlidingWindowLimiter(
                List.of(new RateWindow(2, Duration.ofSeconds(10)), new RateWindow(3, Duration.ofSeconds(100))), clock);
        limiter.tryAcquire("k"); // t=0
        clock.advance(Duration.ofSeconds(20));
        limiter.tryAcquire("k"); // t=20
        limiter.tryAcquire("k"); // t=20: 10 s window full until t=30, 100 s window full until t=100
        RateDecision refused = limiter.tryAcquire("k");
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(80));
        clock.advance(Duration.ofSeconds(80));
        assertThat(limiter.tryAcquire("k").allowed()).isTrue();
    }

    @Test
    void keysAreIndependent() {
        for (int i = 0; i < 10; i++) {
            reveals.tryAcquire("user:1");
        }
        assertThat(reveals.tryAcquire("user:1").allowed()).isFalse();
        assertThat(reveals.tryAcquire("user:2").allowed()).isTrue();
    }

    @Test
    void configuredLimitsReplaceTheDefaults() {
        SlidingWindowLimiter strict = new SlidingWindowLimiter(List.of(RateWindow.perMinute(2)), clock);
        assertThat(strict.tryAcquire("u").allowed()).isTrue();
        assertThat(strict.tryAcquire("u").allowed()).isTrue();
        assertThat(strict.tryAcquire("u").allowed()).isFalse();
        assertThat(strict.peek("u").allowed()).isFalse();
        strict.reset("u");
        assertThat(strict.peek("u").allowed()).isTrue();
    }

    @Test
    void idleKeysAreEvicted() {
        for (int i = 0; i < 500; i++) {
            reveals.tryAcquire("user:" + i);
        }
        assertThat(reveals.trackedKeys()).isEqualTo(500);
        clock.advance(Duration.ofDays(1).plusSeconds(1));
        reveals.evictIdle();
        assertThat(reveals.trackedKeys()).isZero();
    }

    @Test
    void keyCountIsCappedByDroppingTheLeastRecentlyUsed() {
        SlidingWindowLimiter small = new SlidingWindowLimiter(List.of(RateWindow.perMinute(1)), clock, 3);
        small.tryAcquire("a");
        small.tryAcquire("b");
        small.tryAcquire("c");
        assertThat(small.tryAcquire("a").allowed()).isFalse(); // touches a: b is now the oldest
        small.tryAcquire("d");
        assertThat(small.trackedKeys()).isEqualTo(3);
        assertThat(small.tryAcquire("a").allowed()).as("a is still tracked").isFalse();
        assertThat(small.tryAcquire("b").allowed()).as("b was evicted").isTrue();
    }

    @Test
    void concurrentCallersNeverGetMoreThanTheLimit() throws Exception {
        SlidingWindowLimiter limiter = new SlidingWindowLimiter(List.of(RateWindow.perMinute(10)), clock);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger allowed = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            futures.add(pool.submit(() -> {
                go.await();
                if (limiter.tryAcquire("shared").allowed()) {
                    allowed.incrementAndGet();
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : futures) {
            f.get(10, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(allowed.get()).isEqualTo(10);
    }

    @Test
    void retryAfterSecondsRoundsUp() {
        assertThat(RateDecision.refused(Duration.ofMillis(1500)).retryAfterSeconds()).isEqualTo(2);
        assertThat(RateDecision.refused(Duration.ofMillis(1)).retryAfterSeconds()).isEqualTo(1);
        assertThat(RateDecision.ALLOWED.retryAfterSeconds()).isZero();
    }
}
