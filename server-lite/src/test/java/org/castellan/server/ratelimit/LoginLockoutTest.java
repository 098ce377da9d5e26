package org.castellan.server.ratelimit;

import org.castellan.server.testing.NoDatabase;
import org.castellan.server.testing.TestClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

@NoDatabase("no database, no server: the same on either backend")
class LoginLockoutTest {
    final TestClock clock = new TestClock(Instant.parse("2026-11-22T00:00:00Z"));
    final LoginLockout lockout = new LoginLockout(5, Duration.ofMinutes(15), Duration.ofMinutes(30), clock);

    @Test
    void fifthFailureWithinTheWindowLocksForTheConfiguredDuration() {
        for (int i = 0; i < 4; i++) {
            assertThat(lockout.recordFailure("alice").allowed()).isTrue();
            assertThat(lockout.check("alice").allowed()).isTrue();
        }
        RateDecision locked = lockout.recordFailure("alice");
        assertThat(locked.allowed()).isFalse();
        assertThat(locked.retryAfter()).isEqualTo(Duration.ofMinutes(30));
        clock.advance(Duration.ofMinutes(10));
        assertThat(lockout.check("alice").retryAfter()).isEqualTo(Duration.ofMinutes(20));
        clock.advance(Duration.ofMinutes(20));
        assertThat(lockout.check("alice").allowed()).isTrue();
    }

    @Test
    void failuresOlderThanTheWindowDoNotCount() {
        for (int i = 0; i < 4; i++) {
            lockout.recordFailure("alice");
        }
        clock.advance(Duration.ofMinutes(15));
        assertThat(lockout.recordFailure("alice").allowed()).isTrue();
        assertThat(lockout.check("alice").allowed()).isTrue();
    }

    @Test
    void successResetsTheFailureCount() {
        for (int i = 0; i < 4; i++) {
            lockout.recordFailure("alice");
        }
        lockout.recordSuccess("alice");
        for (int i = 0; i < 4; i++) {
            assertThat(lockout.recordFailure("alice").allowed()).isTrue();
        }
        assertThat(lockout.recordFailure("alice").allowed()).isFalse();
    }

    @Test
    void successDoesNotLiftAnActiveLock() {
        for (int i = 0; i < 5; i++) {
            lockout.recordFailure("alice");
        }
        lockout.recordSuccess("alice");
        assertThat(lockout.check("alice").allowed()).isFalse();
    }

    @Test
    void failuresDuringALockDoNotExtendIt() {
        for (int i = 0; i < 5; i++) {
            lockout.recordFailure("alice");
        }
        clock.advance(Duration.ofMinutes(29));
        assertThat(lockout.recordFailure("alice").retryAfter()).isEqualTo(Duration.ofMinutes(1));
        clock.advance(Duration.ofMinutes(1));
        assertThat(lockout.check("alice").allowed()).isTrue();
        // And the count starts afresh after the lock.
        assertThat(lockout.recordFailure("alice").allowed()).isTrue();
    }

    @Test
    void oneKeysLockDoesNotAffectAnother() {
        for (int i = 0; i < 5; i++) {
            lockout.recordFailure("alice");
        }
        assertThat(lockout.check("bob").allowed()).isTrue();
    }

    @Test
    void trackedKeysAreCapped() {
        LoginLockout small = new LoginLockout(3, Duration.ofMinutes(1), Duration.ofMinutes(1), clock, 10);
        for (int i = 0; i < 100; i++) {
            small.recordFailure("user" + i);
        }
        assertThat(small.trackedKeys()).isEqualTo(10);
    }
}
