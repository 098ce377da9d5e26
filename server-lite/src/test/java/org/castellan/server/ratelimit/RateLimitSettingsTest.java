package org.castellan.server.ratelimit;

import org.castellan.server.testing.NoDatabase;
import org.castellan.server.testing.TestClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@NoDatabase("no database, no server: the same on either backend")
class RateLimitSettingsTest {
    @Test
    void configuredWindowsParseFromText() {
        assertThat(RateWindow.parseList("10/minute,50/hour, 100/day"))
                .isEqualTo(SlidingWindowLimiter.DEFAULT_REVEAL_WINDOWS);
        assertThat(RateWindow.parse("5/30s")).isEqualTo(new RateWindow(5, Duration.ofSeconds(30)));
        assertThat(RateWindow.parse("3/2d")).isEqualTo(new RateWindow(3, Duration.ofDays(2)));
        assertThat(RateWindow.parse("1/second")).isEqualTo(new RateWindow(1, Duration.ofSeconds(1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10", "0/minute", "10/minutes", "-1/hour", "10/0s", "ten/hour", "10/1w", "10/minute,"})
    void badWindowTextIsRejected(String text) {
        assertThatThrownBy(() -> RateWindow.parseList(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must look like 10/minute");
    }

    @Test
    void defaultsMatchTheIssue() {
        RateLimitSettings defaults = RateLimitSettings.defaults();
        TestClock clock = new TestClock(Instant.EPOCH);
        SlidingWindowLimiter reveals = defaults.revealLimiter(clock);
        for (int i = 0; i < 10; i++) {
            assertThat(reveals.tryAcquire("p").allowed()).isTrue();
        }
        assertThat(reveals.tryAcquire("p").allowed()).isFalse();
        assertThat(defaults.revealWindows()).containsExactly(RateWindow.perMinute(10), RateWindow.perHour(50),
                RateWindow.perDay(100));
        assertThat(defaults.trustedProxies()).isEmpty();
    }
}
