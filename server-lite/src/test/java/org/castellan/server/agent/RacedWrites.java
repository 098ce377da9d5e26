package org.castellan.server.agent;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.castellan.server.db.Database;
import org.castellan.server.db.Dialect;
import org.castellan.server.db.HeldWriter;
import org.castellan.server.testing.DbSnapshot;
import org.castellan.server.testing.OnPostgres;
import org.castellan.server.testing.TestServer;

/**
 * Sends agent requests of one device at once and holds each one just before it reads what its
 * write decides on, until all of them are there; then lets them go on. On SQLite the one writer is
 * held (they queue behind it); on PostgreSQL the advisory lock their handler takes first
 * ({@link Dialect#lockForTransaction}), from another session. Without that lock on PostgreSQL the
 * requests never wait there, and {@link #race} fails: the handler has no lock to hold them by.
 */
final class RacedWrites {
    private RacedWrites() {}

    /**
     * Sends {@code requests} at once to the server behind {@code db}/{@code dataDir}, held until all
     * of them wait in a handler of {@code handlers} for {@code lockKey} (or for the writer), and
     * returns their replies in the order given.
     */
    @SafeVarargs
    static List<TestServer.Reply> race(Database db, Path dataDir, String lockKey, Set<Class<?>> handlers,
                                       Callable<TestServer.Reply>... requests) throws Exception {
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            List<Future<TestServer.Reply>> sent = new ArrayList<>();
            try (Hold hold = OnPostgres.active() ? new LockHeld(dataDir, lockKey, handlers) : new WriterHeld(db, handlers)) {
                for (Callable<TestServer.Reply> request : requests) {
                    sent.add(pool.submit(request));
                }
                hold.awaitWaiting(requests.length);
            }
            List<TestServer.Reply> replies = new ArrayList<>();
            for (Future<TestServer.Reply> reply : sent) {
                replies.add(reply.get(60, TimeUnit.SECONDS));
            }
            return replies;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Something every request's write waits for; closing it lets them go. */
    private abstract static class Hold implements AutoCloseable {
        private final Set<String> handlers = new HashSet<>();

        Hold(Set<Class<?>> handlerClasses) {
            handlerClasses.forEach(h -> handlers.add(h.getName()));
        }

        /** Where a request thread of a handler waits in its write. */
        abstract String frame();

        /** Waits until {@code n} requests wait in their write, held here. */
        void awaitWaiting(int n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // a safety net, not a timing assertion
            while (waiting() < n) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the requests did not reach their write (held at " + frame() + ")");
                }
                Thread.sleep(5);
            }
        }

        /** Request threads in one of the handlers, waiting in {@link #frame}. */
        private long waiting() {
            return Thread.getAllStackTraces().values().stream().filter(stack -> {
                boolean inHandler = false;
                boolean waits = false;
                for (StackTraceElement e : stack) {
                    inHandler |= handlers.contains(e.getClassName());
                    waits |= (e.getClassName() + "." + e.getMethodName()).equals(frame());
                }
                return inHandler && waits;
            }).count();
        }

        @Override
        public abstract void close() throws Exception;
    }

    /** SQLite: a write that holds the one writer thread, so the requests' writes queue behind it. */
    private static final class WriterHeld extends Hold {
        private final HeldWriter held;

        WriterHeld(Database db, Set<Class<?>> handlers) throws InterruptedException {
            super(handlers);
            held = new HeldWriter(db);
        }

        @Override
        String frame() {
            return "org.castellan.server.db.QueuedWrite.await";
        }

        @Override
        public void close() {
            held.close();
        }
    }

    /** PostgreSQL: the handler's lock taken by another session, so each write waits for it. */
    private static final class LockHeld extends Hold {
        private final Connection session;
        private final long lockId;

        LockHeld(Path dataDir, String lockKey, Set<Class<?>> handlers) throws Exception {
            super(handlers);
            session = DbSnapshot.open(dataDir);
            lockId = Dialect.lockId(lockKey);
            try (PreparedStatement st = session.prepareStatement("SELECT pg_advisory_lock(?)")) {
                st.setLong(1, lockId);
                st.executeQuery().close();
            }
        }

        @Override
        String frame() {
            return Dialect.class.getName() + ".lockForTransaction";
        }

        @Override
        public void close() throws Exception {
            try (PreparedStatement st = session.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                st.setLong(1, lockId);
                st.executeQuery().close();
            } finally {
                session.close();
            }
        }
    }
}
