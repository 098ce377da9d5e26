package org.castellan.server.retention;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the purges ({@link HistoryPurger}, {@link TombstonePurger}, {@link SsoLoginPurger}, the
 * stale nonces) on one background thread, each every so often of its own: one that runs long
 * delays the others, never overlaps them.
 */
public final class RetentionJob {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);

    /** A purge and the pause between two of its runs (the first is one pause after start). */
    public record Purge(String name, IntSupplier run, Duration every) {}

    private final List<Purge> purges;
    private ScheduledExecutorService executor;

    public RetentionJob(List<Purge> purges) {
        this.purges = List.copyOf(purges);
    }

    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "castellan-retention");
            t.setDaemon(true);
            return t;
        });
        for (Purge purge : purges) {
            long every = purge.every().toMillis();
            executor.scheduleWithFixedDelay(() -> runOnce(purge), every, every, TimeUnit.MILLISECONDS);
        }
    }

    private static void runOnce(Purge purge) {
        try {
            purge.run().getAsInt();
        } catch (RuntimeException e) {
            // Caught so the schedule goes on: an uncaught throw would cancel this purge's later runs.
            LOG.warn("retention purge {} failed: {}", purge.name(), e.toString());
        }
    }

    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
    }
}
