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
}
