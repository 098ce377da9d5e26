package org.castellan.server.retention;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the purges ({@link HistoryPurger}, {@link TombstonePurger}) every so often on one background thread. */
public final class RetentionJob {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);
    private final List<IntSupplier> purges;
    private ScheduledExecutorService executor;

    public RetentionJob(List<IntSupplier> purges) {
        this.purges = List.copyOf(purges);
    }

    public synchronized void start(Duration every) {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "castellan-retention");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::runOnce, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void runOnce() {
        for (IntSupplier purge : purges) {
            try {
                purge.getAsInt();
            } catch (RuntimeException e) {
                LOG.warn("retention purge failed: {}", e.toString());
            }
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
