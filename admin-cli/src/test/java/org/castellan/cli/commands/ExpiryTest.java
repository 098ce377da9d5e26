package org.castellan.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ExpiryTest {
    @ParameterizedTest
    @CsvSource({"30m, PT30M", "12h, PT12H", "7d, PT168H", "2w, PT336H", "P7D, PT168H", "pt1h, PT1H"})
    void shortAndIsoDurationsAreUnderstood(String text, String expected) {
        assertThat(Expiry.duration(text)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "7", "-1d", "0d", "PT0S", "7 days"})
    void unclearOrNonPositiveDurationsAreRejected(String text) {
        assertThatThrownBy(() -> Expiry.duration(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void expiresInCountsFromTheClockToTheSecond() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00.123Z"), ZoneOffset.UTC);

        assertThat(Expiry.in("1d", clock)).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
    }

    @Test
    void expiresAtAcceptsInstantsOffsetsAndDates() {
        assertThat(Expiry.at("2026-12-31T18:00:00Z")).isEqualTo(Instant.parse("2026-12-31T18:00:00Z"));
        assertThat(Expiry.at("2026-12-31T18:00:00-05:00")).isEqualTo(Instant.parse("2026-12-31T23:00:00Z"));
        assertThat(Expiry.at("2026-12-31")).isEqualTo(Instant.parse("2026-12-31T00:00:00Z"));
        assertThatThrownBy(() -> Expiry.at("31/12/2026")).isInstanceOf(IllegalArgumentException.class);
    }
}
