package org.castellan.cli.commands;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code --expires-at} (an instant, a date-time with offset, or a date meaning midnight UTC)
 * and {@code --expires-in} ({@code 30m}, {@code 12h}, {@code 7d}, {@code 2w}, or ISO {@code P7D}).
 */
final class Expiry {
    private static final Pattern SHORT = Pattern.compile("(\\d{1,6})([mhdw])");

    private Expiry() {}

    static Instant at(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notDateTime) {
            try {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notDate) {
                throw new IllegalArgumentException("'" + text
                        + "' is not a date-time like 2026-12-31T18:00:00Z or a date like 2026-12-31");
            }
        }
    }

    static Instant in(String text, Clock clock) {
        return clock.instant().plus(duration(text)).truncatedTo(ChronoUnit.SECONDS);
    }

    static Duration duration(String text) {
        String lower = text.strip().toLowerCase(Locale.ROOT);
        Matcher matcher = SHORT.matcher(lower);
        Duration duration;
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            duration = switch (matcher.group(2)) {
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                default -> Duration.ofDays(7 * amount);
            };
        } else {
            try {
                duration = Duration.parse(text.strip().toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + text + "' is not a duration like 30m, 12h, 7d, 2w or P7D");
            }
        }
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("'" + text + "' must be a positive duration");
        }
        return duration;
    }
}
