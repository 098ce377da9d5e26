package org.castellan.agent.flow;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.castellan.agent.AgentException;
import org.castellan.agent.spi.AgentService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service loop: check in, wait the policy's interval with ±10% jitter (so a fleet restarted
 * together does not check in together), and after a failure retry sooner with exponential backoff
 * (30 s, 60 s, ... capped at the interval). Between check-ins it wakes at the end of each held
 * just-in-time grant ({@link Expiries}) and revokes it then, so a right ends on time whether or
 * not the server can be reached; a sweep that fails is tried again after {@link #SWEEP_RETRY}.
 */
public final class AgentLoop implements AgentService {
    private static final Logger LOG = LoggerFactory.getLogger(AgentLoop.class);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(30);
    static final int DEFAULT_INTERVAL_SECONDS = 3600;
    static final int MIN_INTERVAL_SECONDS = 60;
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    static final Duration SWEEP_RETRY = Duration.ofSeconds(30);

    /** The next instant something held ends (empty: nothing), and the sweep that ends it. */
    public interface Expiries {
        java.util.Optional<java.time.Instant> next() throws AgentException;

        void sweep() throws AgentException;

        Expiries NONE = new Expiries() {
            @Override
            public java.util.Optional<java.time.Instant> next() {
                return java.util.Optional.empty();
            }

            @Override
            public void sweep() {}
        };
    }

    /** One check-in; returns the policy's interval in seconds. */
    @FunctionalInterface
    public interface Tick {
        int run() throws AgentException;
    }

    /** Waits, returning early when stopped; tests substitute one that records the waits. */
    @FunctionalInterface
    public interface Waiter {
        void await(CountDownLatch stop, Duration duration) throws InterruptedException;
    }

    private final Tick tick;
    private final Waiter waiter;
    private final SecureRandom random;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Expiries expiries;
    private final java.time.Clock clock;
    private volatile Thread loopThread;

    public AgentLoop(Tick tick, SecureRandom random) {
        this(tick, Expiries.NONE, java.time.Clock.systemUTC(), random);
    }

    public AgentLoop(Tick tick, Expiries expiries, java.time.Clock clock, SecureRandom random) {
        this(tick, (stop, duration) -> stop.await(duration.toMillis(), TimeUnit.MILLISECONDS), expiries, clock, random);
    }

    AgentLoop(Tick tick, Waiter waiter, SecureRandom random) {
        this(tick, waiter, Expiries.NONE, java.time.Clock.systemUTC(), random);
    }

    AgentLoop(Tick tick, Waiter waiter, Expiries expiries, java.time.Clock clock, SecureRandom random) {
        this.tick = tick;
        this.waiter = waiter;
        this.expiries = expiries;
        this.clock = clock;
        this.random = random;
    }

    @Override
    public void run() {
        loopThread = Thread.currentThread();
        int interval = DEFAULT_INTERVAL_SECONDS;
        int failures = 0;
        try {
            while (stopRequested.getCount() > 0) {
                Duration wait;
                try {
                    interval = Math.max(MIN_INTERVAL_SECONDS, tick.run());
                    failures = 0;
                    wait = jittered(interval);
                    LOG.info("check-in done; next in {} s", wait.toSeconds());
                } catch (AgentException | RuntimeException e) {
                    failures++;
                    wait = backoff(failures, interval);
                    LOG.warn("check-in failed (attempt {}), retrying in {} s: {}", failures, wait.toSeconds(),
                            AgentException.describe(e));
                }
                try {
                    waitSweeping(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        } finally {
            finished.countDown();
        }
    }

    /**
     * Waits {@code wait}, waking at each expiry on the way to sweep it. An expiry that is
     * still there after its sweep (the revoke failed) is tried again {@link #SWEEP_RETRY} later.
     */
    private void waitSweeping(Duration wait) throws InterruptedException {
        java.time.Instant now = clock.instant();
        java.time.Instant checkInAt = now.plus(wait);
        java.time.Instant notBefore = null;
        while (stopRequested.getCount() > 0) {
            if (!now.isBefore(checkInAt)) {
                return;
            }
            java.time.Instant wake = checkInAt;
            boolean sweep = false;
            try {
                java.util.Optional<java.time.Instant> expiry = expiries.next();
                if (expiry.isPresent()) {
                    java.time.Instant at = notBefore != null && expiry.get().isBefore(notBefore) ? notBefore : expiry.get();
                    if (at.isBefore(wake)) {
                        wake = at;
                        sweep = true;
                    }
                }
            } catch (AgentException | RuntimeException e) {
                LOG.warn("read just-in-time grants: {}", AgentException.describe(e));
            }
            if (wake.isAfter(now)) {
                waiter.await(stopRequested, Duration.between(now, wake));
            }
            if (!sweep) {
                return; // The check-in is due (or the loop was stopped).
            }
            if (stopRequested.getCount() == 0) {
                return;
            }
            try {
                expiries.sweep();
                LOG.info("just-in-time grants that ended are revoked");
            } catch (AgentException | RuntimeException e) {
                LOG.warn("revoke expired just-in-time grants (retrying in {} s): {}", SWEEP_RETRY.toSeconds(),
                        AgentException.describe(e));
            }
            now = clock.instant();
            notBefore = now.plus(SWEEP_RETRY);
        }
    }

    /**
     * Asks the loop to stop and waits (briefly) for the current check-in to finish, so a service
     * stop does not cut a rotation short when it can be helped. (A cut is still safe: the journal
     * resolves it on the next start.)
     */
    @Override
    public void stop() {
        stopRequested.countDown();
        if (Thread.currentThread() != loopThread && loopThread != null) {
            try {
                finished.await(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    Duration jittered(int intervalSeconds) {
        double factor = 0.9 + 0.2 * random.nextDouble();
        return Duration.ofMillis(Math.round(intervalSeconds * 1000.0 * factor));
    }

    static Duration backoff(int failures, int intervalSeconds) {
        long seconds = FIRST_BACKOFF.toSeconds() << Math.min(failures - 1, 20);
        return Duration.ofSeconds(Math.min(seconds, Math.max(intervalSeconds, FIRST_BACKOFF.toSeconds())));
    }
}
