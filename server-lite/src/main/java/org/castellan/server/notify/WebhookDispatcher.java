package org.castellan.server.notify;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers queued notifications to webhooks from one background thread.
 *
 * <p>Each due outbox entry is claimed, signed with a fresh timestamp and POSTed. A 2xx marks it
 * delivered; anything else (other status, redirect, timeout, connection error) schedules a retry
 * with {@link RetryBackoff}, and after {@code maxAttempts} the entry is marked dead. Delivery is
 * at least once: a crash between the receiver's 2xx and the database update re-sends the event,
 * which receivers recognise by {@code X-Castellan-Event-Id}. Redirects are never followed (a
 * webhook URL must not be bounced to another host). Neither the URL nor the secret is logged.
 */
public final class WebhookDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);

    private final NotificationOutbox outbox;
    private final WebhookChannels channels;
    private final Clock clock;
    private final DispatcherSettings settings;
    private final DoubleSupplier random;
    private final HttpClient http;
    private ScheduledExecutorService executor;

    public WebhookDispatcher(NotificationOutbox outbox, WebhookChannels channels, Clock clock,
                             DispatcherSettings settings) {
        this(outbox, channels, clock, settings, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** {@code random} supplies the jitter, in [0, 1). */
    public WebhookDispatcher(NotificationOutbox outbox, WebhookChannels channels, Clock clock,
                             DispatcherSettings settings, DoubleSupplier random) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.channels = Objects.requireNonNull(channels, "channels");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.random = Objects.requireNonNull(random, "random");
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    private volatile java.util.function.BooleanSupplier leader = () -> true;

    /**
     * Polls only while {@code newLeader} says this node runs the dispatcher (several nodes on one
     * database: one delivers; another takes over its due and leased entries when it dies).
     */
    public void runWhen(java.util.function.BooleanSupplier newLeader) {
        this.leader = newLeader;
    }

    /** Starts polling on a daemon thread. */
    public synchronized void start() {
        if (executor != null) {
            throw new IllegalStateException("webhook dispatcher already started");
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "castellan-webhooks");
            t.setDaemon(true);
            return t;
        });
        long poll = settings.pollInterval().toMillis();
        executor.scheduleWithFixedDelay(this::runOnceLogged, 0, poll, TimeUnit.MILLISECONDS);
    }

    /** Asks for a poll now (e.g. right after a commit that enqueued something). */
    public synchronized void wakeUp() {
        if (executor != null && !executor.isShutdown()) {
            executor.execute(this::runOnceLogged);
        }
    }

    /**
     * Stops polling and waits for an in-flight attempt to finish (at most one request timeout).
     * Anything not delivered stays in the outbox for the next start.
     */
    public void stop() {
        ScheduledExecutorService running;
        synchronized (this) {
            running = executor;
            executor = null;
        }
        if (running == null) {
            return;
        }
        running.shutdown();
        try {
            long waitMillis = settings.lease().toMillis();
            if (!running.awaitTermination(waitMillis, TimeUnit.MILLISECONDS)) {
                running.shutdownNow();
            }
        } catch (InterruptedException e) {
            running.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Sends up to {@code batchSize} due entries now, on the calling thread; returns how many were tried. */
    public int runOnce() {
        int tried = 0;
        while (tried < settings.batchSize() && !Thread.currentThread().isInterrupted()) {
            Instant now = clock.instant();
            Optional<OutboxEntry> next = outbox.claimNext(now, now.plus(settings.lease()));
            if (next.isEmpty()) {
                break;
            }
            deliver(next.get());
            tried++;
        }
        return tried;
    }

    private void runOnceLogged() {
        try {
            if (!leader.getAsBoolean()) {
                return;
            }
            runOnce();
        } catch (RuntimeException e) {
            // The next poll retries; a database hiccup must not kill the scheduler thread.
            LOG.warn("webhook dispatch round failed: {}", e.toString());
        }
    }

    /** Delivery attempts by outcome: delivered, failed (retried later), given-up, dropped (channel gone). */
    private final java.util.Map<String, java.util.concurrent.atomic.LongAdder> outcomes = new java.util.concurrent.ConcurrentHashMap<>();

    private void counted(String outcome) {
        outcomes.computeIfAbsent(outcome, o -> new java.util.concurrent.atomic.LongAdder()).increment();
    }

    /** {@code castellan_webhook_deliveries_total{outcome}}: every outcome from the start, at 0 until it happens. */
    public void bindTo(io.micrometer.core.instrument.MeterRegistry registry) {
        for (String outcome : java.util.List.of("delivered", "failed", "given-up", "dropped")) {
            java.util.concurrent.atomic.LongAdder count = outcomes.computeIfAbsent(outcome,
                    o -> new java.util.concurrent.atomic.LongAdder());
            io.micrometer.core.instrument.FunctionCounter.builder("castellan.webhook.deliveries", count,
                            java.util.concurrent.atomic.LongAdder::doubleValue)
                    .description("Webhook delivery attempts by outcome: delivered, failed (retried later), given-up "
                            + "(after the last attempt), dropped (channel deleted).")
                    .tag("outcome", outcome).register(registry);
        }
    }

    private void deliver(OutboxEntry entry) {
        int attempt = entry.attempts() + 1;
        Optional<WebhookChannel> channel = channels.find(entry.channelId());
        if (channel.isEmpty()) {
            outbox.markDead(entry.id(), attempt, clock.instant(), "channel " + entry.channelId() + " no longer exists");
            counted("dropped");
            LOG.warn("notification {} dropped: channel {} no longer exists", entry.eventId(), entry.channelId());
            return;
        }
        String error = post(channel.get(), entry, attempt);
        if (Thread.currentThread().isInterrupted()) {
            // Stopped mid-attempt: record nothing; the lease runs out and the next start retries.
            return;
        }
        Instant now = clock.instant();
        if (error == null) {
            outbox.markDelivered(entry.id(), now);
            counted("delivered");
            return;
        }
        if (attempt >= settings.maxAttempts()) {
            outbox.markDead(entry.id(), attempt, now, error);
            counted("given-up");
            LOG.warn("notification {} to channel {} given up after {} attempts: {}",
                    entry.eventId(), entry.channelId(), attempt, error);
            return;
        }
        Instant next = now.plus(settings.backoff().delayAfter(attempt, random));
        outbox.markFailed(entry.id(), attempt, next, error);
        counted("failed");
        LOG.info("notification {} to channel {} failed (attempt {}): {}; retrying at {}",
                entry.eventId(), entry.channelId(), attempt, error, next);
    }

    /** Null on a 2xx, else a short description of the failure (no URL, no secret). */
    private String post(WebhookChannel channel, OutboxEntry entry, int attempt) {
        byte[] body = entry.payload().getBytes(StandardCharsets.UTF_8);
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(channel.url())
                    .timeout(settings.requestTimeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "castellan-server")
                    .header("X-Castellan-Event", entry.eventType())
                    .header("X-Castellan-Event-Id", entry.eventId())
                    .header("X-Castellan-Delivery-Attempt", Integer.toString(attempt))
                    .header(WebhookSigner.HEADER, WebhookSigner.sign(channel.secret(), timestamp, body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
        } catch (IllegalArgumentException e) {
            return "invalid webhook request for channel " + channel.id();
        }
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            return status >= 200 && status < 300 ? null : "HTTP " + status;
        } catch (IOException e) {
            // The exception class says enough (connect refused, timeout, TLS); messages may carry the URL.
            return "request failed: " + e.getClass().getSimpleName();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
