package org.castellan.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** Latency histogram (microseconds) and error count per operation, safe for many recording threads. */
public final class OperationStats {
    private final Map<String, Recorder> recorders = new ConcurrentSkipListMap<>();
    private final Map<String, Histogram> totals = new ConcurrentSkipListMap<>();
    private final Map<String, AtomicLong> errors = new ConcurrentSkipListMap<>();

    public void record(String operation, long nanos) {
        recorders.computeIfAbsent(operation, k -> new Recorder(3)).recordValue(Math.max(1, nanos / 1_000));
    }

    public void error(String operation) {
        errors.computeIfAbsent(operation, k -> new AtomicLong()).incrementAndGet();
    }

    /** Moves what was recorded so far into the totals that {@link #table} and {@link #summary} report. */
    private synchronized void collect() {
        recorders.forEach((name, recorder) -> {
            Histogram interval = recorder.getIntervalHistogram();
            totals.merge(name, interval, (a, b) -> {
                a.add(b);
                return a;
            });
        });
        errors.keySet().forEach(name -> totals.computeIfAbsent(name, k -> new Histogram(3)));
    }

    /** The table for one phase: count, rate over {@code seconds}, p50/p95/p99/p99.9/max in ms, errors. */
    public String table(String phase, double seconds) {
        collect();
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%n== %s (%.1f s) ==%n", phase, seconds));
        out.append(String.format(Locale.ROOT, "%-18s %8s %9s %8s %8s %8s %8s %8s %6s%n",
                "operation", "count", "ops/s", "p50 ms", "p95 ms", "p99 ms", "p99.9 ms", "max ms", "errors"));
        long all = 0;
        for (Map.Entry<String, Histogram> e : totals.entrySet()) {
            Histogram h = e.getValue();
            all += h.getTotalCount();
            out.append(String.format(Locale.ROOT, "%-18s %8d %9.1f %8.2f %8.2f %8.2f %8.2f %8.2f %6d%n", e.getKey(),
                    h.getTotalCount(), h.getTotalCount() / seconds, h.getValueAtPercentile(50) / 1000.0,
                    h.getValueAtPercentile(95) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
                    h.getValueAtPercentile(99.9) / 1000.0, h.getMaxValue() / 1000.0, errorCount(e.getKey())));
        }
        out.append(String.format(Locale.ROOT, "%-18s %8d %9.1f%n", "all", all, all / seconds));
        return out.toString();
    }

    /** Per operation: count, ratePerSecond, p50/p99/p99.9/max in ms, errors (for the JSON output). */
    public Map<String, Map<String, Object>> summary(double seconds) {
        collect();
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        totals.forEach((name, h) -> {
            Map<String, Object> op = new LinkedHashMap<>();
            op.put("count", h.getTotalCount());
            op.put("ratePerSecond", round(h.getTotalCount() / seconds));
            op.put("p50Ms", round(h.getValueAtPercentile(50) / 1000.0));
            op.put("p99Ms", round(h.getValueAtPercentile(99) / 1000.0));
            op.put("p999Ms", round(h.getValueAtPercentile(99.9) / 1000.0));
            op.put("maxMs", round(h.getMaxValue() / 1000.0));
            op.put("errors", errorCount(name));
            out.put(name, op);
        });
        return out;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** Operations per second of {@code operation} (0 when none). */
    public double rate(String operation, double seconds) {
        collect();
        Histogram h = totals.get(operation);
        return h == null ? 0 : h.getTotalCount() / seconds;
    }

    /** The latency at {@code percentile} of {@code operation} in ms (0 when none). */
    public double percentileMs(String operation, double percentile) {
        collect();
        Histogram h = totals.get(operation);
        return h == null ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
    }

    public long count(String operation) {
        collect();
        Histogram h = totals.get(operation);
        return h == null ? 0 : h.getTotalCount();
    }

    private long errorCount(String operation) {
        AtomicLong n = errors.get(operation);
        return n == null ? 0 : n.get();
    }

    public long errorCount() {
        return errors.values().stream().mapToLong(AtomicLong::get).sum();
    }
}
