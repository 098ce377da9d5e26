package org.castellan.server.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetentionJobTest {
    @Test
    void eachPurgeRunsOnItsOwnScheduleAndAFailureStopsNeitherIt() throws Exception {
        CountDownLatch frequentRuns = new CountDownLatch(5);
        AtomicInteger failingRuns = new AtomicInteger();
        AtomicInteger hourlyRuns = new AtomicInteger();
        RetentionJob job = new RetentionJob(List.of(
                new RetentionJob.Purge("hourly", () -> hourlyRuns.incrementAndGet(), Duration.ofHours(1)),
                new RetentionJob.Purge("failing", () -> {
                    failingRuns.incrementAndGet();
                    throw new IllegalStateException("disk full");
                }, Duration.ofMillis(5)),
                new RetentionJob.Purge("frequent", () -> {
                    frequentRuns.countDown();
                    return 0;
                }, Duration.ofMillis(5))));
        job.start();
        try {
            assertThat(frequentRuns.await(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            job.stop();
        }
        assertThat(failingRuns.get()).as("a purge that threw runs again").isGreaterThan(1);
        assertThat(hourlyRuns.get()).as("the hourly purge waits its first hour").isZero();
    }
}
