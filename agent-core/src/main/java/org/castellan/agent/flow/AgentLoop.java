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
 * (30 s, 60 s, ... capped at the interval).
 */
public final class AgentLoop implements AgentService {
    private static final Logger LOG = LoggerFactory.getLogger(AgentLoop.class);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(30);
    static final int DEFAULT_INTERVAL_SECONDS = 3600;
    static final int MIN_INTERVAL_SECONDS = 60;
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

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
    private volatile Thread loopThread;

    public AgentLoop(Tick tick, SecureRandom random) {
        this(tick, (stop, duration) -> stop.await(duration.toMillis(), TimeUnit.MILLISECONDS), random);
    }

    AgentLoop(Tick tick, Waiter waiter, SecureRandom random) {
        this.tick = tick;
        this.waiter = waiter;
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
                    waiter.await(stopRequested, wait);
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
