package org.castellan.server.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** At most {@code limit} events per key in any sliding {@code length} of time. */
public record RateWindow(int limit, Duration length) {
    private static final Pattern TEXT = Pattern.compile("([1-9][0-9]{0,8})/(second|minute|hour|day|([1-9][0-9]{0,6})([smhd]))");
    public RateWindow {
        Objects.requireNonNull(length, "length");
        if (limit < 1) {
            throw new IllegalArgumentException("rate limit must be at least 1, was " + limit);
        }
        if (length.isNegative() || length.isZero()) {
            throw new IllegalArgumentException("rate window must be positive, was " + length);
        }
    }

    public static RateWindow perMinute(int limit) {
        return new RateWindow(limit, Duration.ofMinutes(1));
    }

    public static RateWindow perHour(int limit) {
        return new RateWindow(limit, Duration.ofHours(1));
    }

    public static RateWindow perDay(int limit) {
        return new RateWindow(limit, Duration.ofDays(1));
    }

    /**
     * Parses a configuration value such as {@code 10/minute}, {@code 50/hour}, {@code 100/day} or
     * {@code 5/30s} (units s, m, h, d).
     */
    public static RateWindow parse(String text) {
        Matcher m = TEXT.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("rate limit " + (text == null || text.length() > 40 ? "value" : "\"" + text + "\"")
                    + " must look like 10/minute, 50/hour, 100/day or 5/30s");
        }
        int limit = Integer.parseInt(m.group(1));
        Duration length = switch (m.group(2)) {
            case "second" -> Duration.ofSeconds(1);
            case "minute" -> Duration.ofMinutes(1);
            case "hour" -> Duration.ofHours(1);
            case "day" -> Duration.ofDays(1);
            default -> {
                long n = Long.parseLong(m.group(3));
                yield switch (m.group(4)) {
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
        };
        return new RateWindow(limit, length);
    }

    /** Parses a comma-separated list, e.g. {@code 10/minute,50/hour,100/day}. */
    public static List<RateWindow> parseList(String text) {
        List<RateWindow> out = new ArrayList<>();
        for (String part : (text == null ? "" : text).split(",", -1)) {
            out.add(parse(part));
        }
        return List.copyOf(out);
    }
}
