package org.castellan.server.db;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Makes several writes land in one batch for certain: a first write holds the writer thread until
 * the others are all queued behind it (their threads parked waiting), then lets go.
 */
public final class HeldWriter implements AutoCloseable {
    private final Database db;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final CountDownLatch holding = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<Thread> waiting = new ArrayList<>();
    private final Future<?> holder;

    public HeldWriter(Database db) throws InterruptedException {
        this.db = db;
        holder = pool.submit(() -> db.write(c -> {
            holding.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        if (!holding.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the writer did not start the holding write");
        }
    }

    /** Queues {@code work} behind the held write; its outcome (result or exception) comes in the future. */
    <T> Future<T> queue(SqlWork<T> work) throws InterruptedException {
        return queue(work, false);
    }

    /** As {@link #queue}, as bookkeeping ({@link Database#writeBookkeeping}). */
    <T> Future<T> queueBookkeeping(SqlWork<T> work) throws InterruptedException {
        return queue(work, true);
    }

    private <T> Future<T> queue(SqlWork<T> work, boolean bookkeeping) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        Future<T> future = pool.submit(() -> {
            synchronized (waiting) {
                waiting.add(Thread.currentThread());
            }
            started.countDown();
            return bookkeeping ? db.writeBookkeeping(work) : db.write(work);
        });
        started.await();
        return future;
    }

    /** Waits until every queued caller is parked in write(), then lets the writer go on. */
    void releaseWhenAllQueued() throws Exception {
        awaitAllParked();
        release.countDown();
        holder.get(60, TimeUnit.SECONDS);
    }

    /** Waits until every queued caller is parked in write(), behind the held write. */
    void awaitAllParked() throws InterruptedException {
        // A safety net for a hung writer, not a timing assertion: generous even on a loaded machine.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            boolean allParked;
            synchronized (waiting) {
                allParked = waiting.stream().allMatch(t -> t.getState() == Thread.State.WAITING);
            }
            if (allParked) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("queued writes did not park");
            }
            Thread.sleep(5);
        }
    }

    /** Lets the held write end (and the writes queued behind it go on). */
    @Override
    public void close() {
        release.countDown();
        pool.shutdownNow();
    }
}
