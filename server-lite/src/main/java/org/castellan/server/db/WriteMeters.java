package org.castellan.server.db;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The write meters both databases register: {@code castellan.db.write.batch} (a timer by outcome,
 * from the start of a transaction to its durable commit) and {@code castellan.db.write.batch.units}
 * (how many writes shared that transaction).
 */
final class WriteMeters implements GroupCommitWriter.BatchObserver {
    private final MeterRegistry registry;
    private final DistributionSummary unitsPerBatch;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    WriteMeters(MeterRegistry registry) {
        this.registry = registry;
        this.unitsPerBatch = DistributionSummary.builder("castellan.db.write.batch.units")
                .description("Writes that shared one transaction and one commit (SQLite's group commit; 1 on PostgreSQL).")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, GroupCommitWriter.MAX_BATCH).register(registry);
    }

    @Override
    public void batch(int units, long nanos, String outcome) {
        unitsPerBatch.record(units);
        timers.computeIfAbsent(outcome, o -> Timer.builder("castellan.db.write.batch")
                .description("Write transactions, by outcome: time from the start of the transaction to its durable commit.")
                .tag("outcome", o).publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10)).register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }
}
