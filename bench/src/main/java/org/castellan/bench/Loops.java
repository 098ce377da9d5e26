package org.castellan.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/** The two ways of driving load: a closed loop (N threads, each sends when its last answer came) and an open loop (a schedule). */
final class Loops {
    private Loops() {}

    /** One unit of load; {@code intendedNanos} is when it was due (the open loop's schedule, the closed loop's start). */
    @FunctionalInterface
    interface Step {
        void run(long intendedNanos) throws Exception;
    }

    /** Thrown by a closed loop's step when there is nothing left to do: that thread ends. */
    static final class Done extends RuntimeException {
        Done() {
            super(null, null, false, false);
        }
    }

    /** What a loop did: its measured seconds and, for the open loop, the due requests never started before the drain ended. */
    record Ran(double seconds, long notStarted) {}

    /** {@code threads} threads, each running {@code step} back to back, for {@code seconds}. */
    static Ran closed(int threads, double seconds, Step step) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads, daemon("closed-loop"));
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(pool.submit(() -> {
                try {
                    while (System.nanoTime() < deadline) {
                        step.run(System.nanoTime());
                    }
                } catch (Done done) {
                    // this thread's share is done
                }
                return null;
            }));
        }
        for (Future<?> w : workers) {
            w.get((long) seconds + 120, TimeUnit.SECONDS);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdownNow();
        return new Ran(elapsed, 0);
    }

    /**
     * {@code rate} steps a second on a fixed schedule for {@code seconds}, run by up to
     * {@code threads} threads; each step is told when it was due, so its latency counts the time it
     * waited for a free thread (no coordinated omission: a slow server does not slow the schedule).
     * After the schedule ends, waits up to {@code drainSeconds} for the queue to empty.
     */
    static Ran open(double rate, int threads, double seconds, double drainSeconds, Step step) throws Exception {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(),
                daemon("open-loop"));
        pool.prestartAllCoreThreads();
        long periodNanos = (long) (1e9 / rate);
        long start = System.nanoTime() + 20_000_000L;
        long end = start + (long) (seconds * 1e9);
        AtomicLong failedUnexpectedly = new AtomicLong();
        for (long k = 0; ; k++) {
            long due = start + k * periodNanos;
            if (due >= end) {
                break;
            }
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            pool.execute(() -> {
                try {
                    step.run(due);
                } catch (Exception e) {
                    failedUnexpectedly.incrementAndGet();
                }
            });
        }
        pool.shutdown();
        long notStarted = 0;
        if (!pool.awaitTermination((long) (drainSeconds * 1000), TimeUnit.MILLISECONDS)) {
            notStarted = pool.shutdownNow().size();
            pool.awaitTermination(60, TimeUnit.SECONDS);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        return new Ran(Math.max(seconds, elapsed), notStarted + failedUnexpectedly.get());
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicLong n = new AtomicLong();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
