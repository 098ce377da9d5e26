package org.castellan.server;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.castellan.server.db.Database;
import org.castellan.server.devices.DeviceStore;
import org.castellan.server.notify.NotificationOutbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gauges that need a query, computed every {@link #EVERY} on one daemon thread and served from
 * memory, so that a scrape never scans the devices table: {@code castellan_devices{last_seen}}
 * (never, 1h, 1d, 7d, 30d, older: how long ago devices last checked in) and
 * {@code castellan_webhook_queue_depth} (notifications waiting for delivery or a retry).
 */
final class PeriodicGauges {
    static final Duration EVERY = Duration.ofSeconds(60);
    private static final Logger LOG = LoggerFactory.getLogger(PeriodicGauges.class);

    private final Database db;
    private final DeviceStore devices;
    private final NotificationOutbox outbox;
    private final Clock clock;
    private final Map<String, AtomicLong> byLastSeen = new ConcurrentHashMap<>();
    private final AtomicLong queueDepth = new AtomicLong();
    private ScheduledExecutorService executor;

    PeriodicGauges(Database db, DeviceStore devices, NotificationOutbox outbox, Clock clock, MeterRegistry registry) {
        this.db = db;
        this.devices = devices;
        this.outbox = outbox;
        this.clock = clock;
        for (String bucket : DeviceStore.LAST_SEEN_BUCKETS) {
            AtomicLong value = byLastSeen.computeIfAbsent(bucket, b -> new AtomicLong());
            Gauge.builder("castellan.devices", value, AtomicLong::get)
                    .description("Devices by when they last checked in (never; within 1h; 1h-1d; 1-7d; 7-30d; older), "
                            + "computed every minute.")
                    .tag("last_seen", bucket).register(registry);
        }
        Gauge.builder("castellan.webhook.queue.depth", queueDepth, AtomicLong::get)
                .description("Webhook notifications waiting for delivery or a retry, computed every minute.")
                .register(registry);
    }

    /** Computes the gauges now (also run every {@link #EVERY}). */
    void refresh() {
        try {
            Map<String, Long> counts = db.read(c -> devices.countByLastSeen(c, clock.instant()));
            counts.forEach((bucket, n) -> byLastSeen.get(bucket).set(n));
            queueDepth.set(outbox.pendingCount());
        } catch (RuntimeException e) {
            LOG.warn("metrics refresh failed: {}", e.toString());
        }
    }

    synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "castellan-metrics-gauges");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::refresh, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
