package org.castellan.server.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.castellan.server.testing.NoDatabase;
import org.junit.jupiter.api.Test;

@NoDatabase("no database, no server: the same on either backend")
class RetryBackoffTest {
    final RetryBackoff backoff = new RetryBackoff(Duration.ofSeconds(5), Duration.ofHours(1), 0.2);

    @Test
    void doublesFromFiveSecondsAndStopsAtOneHour() {
        assertThat(backoff.delayAfter(1, () -> 0.0)).isEqualTo(Duration.ofSeconds(5));
        assertThat(backoff.delayAfter(2, () -> 0.0)).isEqualTo(Duration.ofSeconds(10));
        assertThat(backoff.delayAfter(3, () -> 0.0)).isEqualTo(Duration.ofSeconds(20));
        assertThat(backoff.delayAfter(10, () -> 0.0)).isEqualTo(Duration.ofSeconds(2560));
        assertThat(backoff.delayAfter(11, () -> 0.0)).isEqualTo(Duration.ofHours(1));
        assertThat(backoff.delayAfter(1000, () -> 0.0)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void jitterOnlyShortensTheDelayByAtMostItsFraction() {
        assertThat(backoff.delayAfter(1, () -> 0.999999)).isBetween(Duration.ofMillis(4000), Duration.ofSeconds(5));
        assertThat(backoff.delayAfter(50, () -> 0.5)).isEqualTo(Duration.ofMinutes(54));
    }

    @Test
    void nonsensicalSettingsAreRejected() {
        assertThatThrownBy(() -> new RetryBackoff(Duration.ZERO, Duration.ofSeconds(1), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 1.0)).isInstanceOf(IllegalArgumentException.class);
    }
}
