package org.castellan.bench;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;

/** Latency histogram (microseconds) and error count per operation, safe for many recording threads. */
final class OperationStats {
    private final Map<String, Recorder> recorders = new ConcurrentSkipListMap<>();
    private final Map<String, Histogram> totals = new ConcurrentSkipListMap<>();
    private final Map<String, AtomicLong> errors = new ConcurrentSkipListMap<>();

    void record(String operation, long nanos) {
        recorders.computeIfAbsent(operation, k -> new Recorder(3)).recordValue(Math.max(1, nanos / 1_000));
    }

    void error(String operation) {
        errors.computeIfAbsent(operation, k -> new AtomicLong()).incrementAndGet();
    }

    /** The table for one phase: count, rate over {@code seconds}, p50/p95/p99/max in ms, errors. */
    String table(String phase, double seconds) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%n== %s (%.1f s) ==%n", phase, seconds));
        out.append(String.format(Locale.ROOT, "%-10s %8s %9s %8s %8s %8s %8s %8s %6s%n",
                "operation", "count", "ops/s", "p50 ms", "p95 ms", "p99 ms", "p99.9 ms", "max ms", "errors"));
        recorders.forEach((name, recorder) -> totals.put(name, recorder.getIntervalHistogram()));
        long all = 0;
        for (Map.Entry<String, Histogram> e : totals.entrySet()) {
            Histogram h = e.getValue();
            all += h.getTotalCount();
            out.append(String.format(Locale.ROOT, "%-10s %8d %9.1f %8.2f %8.2f %8.2f %8.2f %8.2f %6d%n", e.getKey(),
                    h.getTotalCount(), h.getTotalCount() / seconds, h.getValueAtPercentile(50) / 1000.0,
                    h.getValueAtPercentile(95) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
                    h.getValueAtPercentile(99.9) / 1000.0, h.getMaxValue() / 1000.0,
                    errors.getOrDefault(e.getKey(), new AtomicLong()).get()));
        }
        out.append(String.format(Locale.ROOT, "%-10s %8d %9.1f%n", "all", all, all / seconds));
        return out.toString();
    }

    /** Operations per second of {@code operation} in the last table (0 when none). */
    double rate(String operation, double seconds) {
        Histogram h = totals.get(operation);
        return h == null ? 0 : h.getTotalCount() / seconds;
    }

    long errorCount() {
        return errors.values().stream().mapToLong(AtomicLong::get).sum();
    }
}
