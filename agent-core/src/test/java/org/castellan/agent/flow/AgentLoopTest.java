package org.castellan.agent.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.castellan.agent.AgentException;
import org.junit.jupiter.api.Test;

class AgentLoopTest {
    @Test
    void backoffDoublesFromThirtySecondsAndIsCappedAtTheInterval() {
        assertThat(AgentLoop.backoff(1, 3600)).isEqualTo(Duration.ofSeconds(30));
        assertThat(AgentLoop.backoff(2, 3600)).isEqualTo(Duration.ofSeconds(60));
        assertThat(AgentLoop.backoff(3, 3600)).isEqualTo(Duration.ofSeconds(120));
        assertThat(AgentLoop.backoff(8, 3600)).isEqualTo(Duration.ofSeconds(3600));
        assertThat(AgentLoop.backoff(100, 900)).isEqualTo(Duration.ofSeconds(900));
    }

    @Test
    void intervalIsJitteredWithinTenPercent() {
        AgentLoop loop = new AgentLoop(() -> 0, new SecureRandom());
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 2000; i++) {
            long ms = loop.jittered(1000).toMillis();
            min = Math.min(min, ms);
            max = Math.max(max, ms);
        }
        assertThat(min).isBetween(900_000L, 920_000L);
        assertThat(max).isBetween(1_080_000L, 1_100_000L);
    }

    @Test
    void failuresBackOffAndSuccessReturnsToTheInterval() {
        List<Duration> waits = new ArrayList<>();
        int[] calls = {0};
        AgentLoop[] loop = new AgentLoop[1];
        loop[0] = new AgentLoop(() -> {
            calls[0]++;
            if (calls[0] == 5) {
                loop[0].stop();
            }
            if (calls[0] <= 3) {
                throw new AgentException("check in: server-unreachable");
            }
            return 600;
        }, (stop, duration) -> waits.add(duration), new SecureRandom());

        loop[0].run();

        assertThat(calls[0]).isEqualTo(5);
        assertThat(waits.subList(0, 3)).containsExactly(Duration.ofSeconds(30), Duration.ofSeconds(60),
                Duration.ofSeconds(120));
        assertThat(waits.get(3).toSeconds()).isBetween(540L, 660L);
    }

    @Test
    void stopEndsARealWaitPromptly() throws Exception {
        CountDownLatch ticked = new CountDownLatch(1);
        AgentLoop loop = new AgentLoop(() -> {
            ticked.countDown();
            return 3600;
        }, new SecureRandom());
        Thread thread = new Thread(loop::run);
        thread.start();
        assertThat(ticked.await(5, TimeUnit.SECONDS)).isTrue();

        long start = System.nanoTime();
        loop.stop();
        thread.join(5000);

        assertThat(thread.isAlive()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    /** A clock the test waiter moves forward by exactly what the loop waits. */
    private static final class SteppedClock extends java.time.Clock {
        java.time.Instant now = java.time.Instant.parse("2026-12-02T10:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return now;
        }
    }

    @Test
    void betweenCheckInsTheLoopWakesAtAGrantsEndToSweepItAndRetriesAFailedSweepThirtySecondsLater() {
        SteppedClock clock = new SteppedClock();
        java.time.Instant start = clock.now;
        List<java.util.Optional<java.time.Instant>> ends = new ArrayList<>(List.of(
                java.util.Optional.of(start.plusSeconds(100)), java.util.Optional.of(start.plusSeconds(100)),
                java.util.Optional.empty()));
        List<java.time.Instant> sweeps = new ArrayList<>();
        int[] ticks = {0};
        AgentLoop[] loop = new AgentLoop[1];
        AgentLoop.Expiries expiries = new AgentLoop.Expiries() {
            @Override
            public java.util.Optional<java.time.Instant> next() {
                return ends.get(0);
            }

            @Override
            public void sweep() throws AgentException {
                sweeps.add(clock.now);
                ends.remove(0);
                if (sweeps.size() == 1) {
                    throw new AgentException("revoke: visudo failed");
                }
            }
        };
        loop[0] = new AgentLoop(() -> {
            if (++ticks[0] == 2) {
                loop[0].stop();
            }
            return 600;
        }, (stop, duration) -> clock.now = clock.now.plus(duration), expiries, clock, new SecureRandom());

        loop[0].run();

        assertThat(sweeps).containsExactly(start.plusSeconds(100), start.plusSeconds(130));
        assertThat(ticks[0]).isEqualTo(2);
        assertThat(Duration.between(start, clock.now).toSeconds()).as("the check-in interval is kept")
                .isBetween(540L, 660L);
    }
}
