package org.castellan.server.db;

import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;

/** One caller's unit of work, waiting in the writer's queue, and how it ended. */
final class QueuedWrite<T> {
    private final SqlWork<T> work;
    private final boolean lazy;
    private final CountDownLatch done = new CountDownLatch(1);
    private T result;
    private Throwable failure;
    private boolean followUp;
    private long ticket;
    private WriteListener listener = WriteListener.NONE;

    QueuedWrite(SqlWork<T> work, boolean lazy) {
        this.work = work;
        this.lazy = lazy;
    }

    /** Bookkeeping that may be answered before its commit is on disk ({@link LazyCommits}). */
    boolean lazy() {
        return lazy;
    }

    /** Writer thread: runs the work; its exception is kept for the caller, not thrown here. */
    boolean run(java.sql.Connection connection) {
        try {
            result = InsideWrite.run(work, connection);
            return true;
        } catch (Throwable t) {
            failure = t;
            return false;
        }
    }

    boolean failed() {
        return failure != null;
    }

    void kept(boolean needsFollowUp) {
        this.followUp = needsFollowUp;
    }

    /** Writer thread: the batch committed (durably, unless every unit in it was lazy) with this unit in it. */
    void committed(WriteListener batchListener, long batchTicket) {
        this.listener = batchListener;
        this.ticket = followUp ? batchTicket : 0;
    }

    /** Writer thread: the unit cannot have committed (the batch failed); its caller gets {@code cause}. */
    void failBatch(Throwable cause) {
        if (failure == null) {
            failure = cause;
        } else if (failure != cause) {
            failure.addSuppressed(cause);
        }
    }

    void addSuppressed(Throwable t) {
        if (failure != null) {
            failure.addSuppressed(t);
        }
    }

    /** Writer thread, last: wakes the caller. */
    void finish() {
        done.countDown();
    }

    /** Caller thread: waits (uninterruptibly: the work may already be committing) for the outcome. */
    T await() {
        boolean interrupted = false;
        while (true) {
            try {
                done.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure instanceof SQLException e) {
            throw new StorageException("database write failed", e);
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new StorageException("database write failed", failure);
        }
        if (ticket != 0) {
            listener.afterCommit(ticket);
        }
        return result;
    }
}
