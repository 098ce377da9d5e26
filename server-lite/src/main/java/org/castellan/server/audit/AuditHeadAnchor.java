package org.castellan.server.audit;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.castellan.server.db.Database;
import org.castellan.server.db.WriteListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code DIR/audit/head} at the end of the committed audit chain, so deleting the newest
 * entries (or putting back an older database) is detectable by {@code audit verify}.
 *
 * <p>Order: an append only stages the new head (undone if its unit of work rolls back to its
 * savepoint); the group commit of the batch makes it the committed head (in memory, on the
 * database's writer thread, in commit order, only once the commit is durable) and wakes the
 * anchor thread; that thread writes the newest committed head to the file (temporary file, fsync,
 * rename, directory fsync), then looks again. So the anchor is never ahead of the database (no
 * false alarm), and the anchor's two fsyncs are off every request's latency path: a request is
 * answered once its audit entry is durably committed (issue 11), and the anchor follows. One write
 * covers every commit made before it, and writes are at least {@link #WRITE_INTERVAL} apart: a
 * commit after a quiet spell is anchored at once, a busy log about ten times a second. Written
 * back to back, the anchor's file write, rename and two fsyncs took a fifth of the server's CPU
 * during reveals at 900/s (profile in docs/performance.md), for nothing a tenth of a second does
 * not give.
 *
 * <p>The anchor is behind the database only between a commit and the next anchor write (the lag
 * is in {@link #lagEntries()}, at most one interval and one write); {@link #close()} writes the
 * final head at once, so a graceful stop leaves it exact. A crash leaves at most that window of
 * entries after the anchored head, which the next start checks (they must chain onto the anchored
 * entry) and anchors with a warning, as before.
 * A failed anchor write (disk full) is logged and retried every second; requests go on.
 *
 * <p>The server also checks, on every append, that the database still ends where it committed
 * last: if someone deleted entries behind its back it refuses the append (the write rolls back)
 * instead of anchoring the shortened log over the evidence.
 */
public final class AuditHeadAnchor implements WriteListener, AppendListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditHeadAnchor.class);
    private static final long RETRY_MILLIS = 1_000;
    /** The least time between two anchor writes (the crash window grows by at most this). */
    static final Duration WRITE_INTERVAL = Duration.ofMillis(100);

    /** Where the anchor goes: the file, or in tests a file that can be held or made to fail. */
    interface HeadWriter {
        void write(AuditHead head) throws IOException;
    }

    private final HeadWriter file;
    private final long intervalNanos;
    private final Object signal = new Object();
    private final Thread thread;
    private AuditHead pending; // touched only on the database writer thread
    private AuditHead pendingBeforeUnit; // likewise: where the running unit of work started
    private volatile Committed committed;
    private volatile Committed anchored;
    /**
     * Set by the anchor thread while it waits for a commit (not while it waits out the interval):
     * only then does a commit need to wake it. Both this and {@link #committed} are volatile, so a
     * commit either sees it set and wakes the thread, or the thread sees the commit before waiting.
     */
    private volatile boolean awaitingCommit;
    private boolean stopping; // guarded by signal
    private long writes; // guarded by signal
    private long failures; // guarded by signal

    private record Committed(long seq, AuditHead head) {}

    private AuditHeadAnchor(HeadWriter file, AuditHead start, Duration interval) {
        this.file = file;
        this.intervalNanos = interval.toNanos();
        this.committed = new Committed(0, start);
        this.anchored = committed;
        this.thread = new Thread(this::run, "castellan-audit-anchor");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Checks the database against the anchor by {@link AnchorRule} and starts tracking it: a first
     * start (empty log, no anchor material) creates the key and anchors the empty log; anything
     * else the rule refuses throws {@link AuditAnchorException} and writes nothing.
     */
    public static AuditHeadAnchor open(Database db, Path dataDir, SecureRandom random) throws IOException {
        return open(db, dataDir, random, w -> w, WRITE_INTERVAL);
    }

    /**
     * {@link #open(Database, Path, SecureRandom)}, with the running anchor writes passed through
     * {@code wrap} and at least {@code interval} apart.
     */
    static AuditHeadAnchor open(Database db, Path dataDir, SecureRandom random, UnaryOperator<HeadWriter> wrap,
                                Duration interval) throws IOException {
        HeadAnchorFile file = new HeadAnchorFile(dataDir);
        AuditHead end = db.read(SqlAuditLog::head);
        AnchorRule.Found found = file.find();
        Optional<String> problem = found instanceof AnchorRule.Found.Head recorded
                ? db.read(c -> HeadComparison.problem(recorded.head(), end,
                        SqlAuditLog.hashOf(c, recorded.head().id()), SqlAuditLog.countUpTo(c, recorded.head().id())))
                : Optional.empty();
        if (AnchorRule.decide(found, end, problem) == AnchorRule.Decision.CREATE) {
            file.createKey(random);
            file.write(end);
            return new AuditHeadAnchor(wrap.apply(file::write), end, interval);
        }
        AuditHead anchor = ((AnchorRule.Found.Head) found).head();
        if (end.id() != anchor.id()) {
            // Committed just before a crash, before their anchor write: chained onto the anchored head.
            LOG.warn("Audit log has {} entries after its anchored head (entry {}), committed just before the last stop; "
                    + "anchoring them", end.count() - anchor.count(), anchor.id());
            file.write(end);
        }
        return new AuditHeadAnchor(wrap.apply(file::write), end, interval);
    }

    @Override
    public void appended(String prevHash, long id, String hash) {
        AuditHead base = pending != null ? pending : committed.head();
        if (!base.hash().equals(prevHash)) {
            LOG.error("Audit log end changed outside the server (expected entry {}, database ends elsewhere): "
                    + "refusing to append; run 'castellan-server audit verify'", base.id());
            throw new AuditAnchorException("the audit log was changed outside the server: it should end at entry "
                    + base.id() + "; refusing to append over it");
        }
        pending = base.next(id, hash);
    }

    @Override
    public void beforeUnit() {
        pendingBeforeUnit = pending;
    }

    @Override
    public boolean unitKept() {
        return false; // the anchor thread follows the commits; no request waits for it
    }

    @Override
    public void unitUndone() {
        pending = pendingBeforeUnit; // its appends rolled back with its savepoint
    }

    @Override
    public long committed() {
        if (pending == null) {
            return 0;
        }
        committed = new Committed(committed.seq() + 1, pending);
        pending = null;
        pendingBeforeUnit = null;
        if (awaitingCommit) {
            synchronized (signal) {
                signal.notifyAll(); // never held across a file write: the writer thread does not wait here
            }
        }
        return 0;
    }

    @Override
    public void rolledBack() {
        pending = null;
        pendingBeforeUnit = null;
    }

    @Override
    public void afterCommit(long seq) {
        // nothing: the request is answered once its commit is durable
    }

    private void run() {
        long lastWrite = System.nanoTime() - intervalNanos;
        while (true) {
            Committed newest;
            synchronized (signal) {
                awaitingCommit = true;
                while (!stopping && committed.seq() <= anchored.seq()) {
                    waitOn(0);
                }
                awaitingCommit = false;
                // Commits arriving meanwhile join this write; a stop writes at once.
                long due;
                while (!stopping && (due = lastWrite + intervalNanos - System.nanoTime()) > 0) {
                    waitOn(Math.max(1, due / 1_000_000));
                }
                newest = committed;
                if (newest.seq() <= anchored.seq()) {
                    return; // stopping, and nothing left to anchor
                }
            }
            try {
                lastWrite = System.nanoTime();
                file.write(newest.head());
                synchronized (signal) {
                    anchored = newest;
                    writes++;
                    signal.notifyAll();
                }
            } catch (IOException | RuntimeException e) {
                boolean last;
                synchronized (signal) {
                    failures++;
                    last = stopping;
                    signal.notifyAll();
                    if (!last) {
                        waitOn(RETRY_MILLIS);
                    }
                }
                LOG.error("Audit head anchor write failed (entry {} committed, anchor at entry {}){}: {}",
                        newest.head().id(), anchored.head().id(), last ? "; giving up at stop" : "; retrying",
                        e.toString());
                if (last) {
                    return;
                }
            }
        }
    }

    private void waitOn(long millis) {
        try {
            signal.wait(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }

    /**
     * Waits until the anchor holds every entry committed before the call; false when an anchor
     * write failed meanwhile (then the anchor is behind until a retry succeeds).
     */
    public boolean awaitAnchored() throws InterruptedException {
        long target = committed.seq();
        synchronized (signal) {
            long failuresBefore = failures;
            while (anchored.seq() < target && failures == failuresBefore && thread.isAlive()) {
                signal.wait(100);
            }
            return anchored.seq() >= target;
        }
    }

    /** Entries committed but not yet in the anchor file (0 when it is current). */
    public long lagEntries() {
        return committed.head().count() - anchored.head().count();
    }

    /** How many times the anchor file was written since start (grouping makes it fewer than the commits). */
    public long anchorWrites() {
        synchronized (signal) {
            return writes;
        }
    }

    /** How many anchor writes failed since start (each is retried). */
    public long anchorWriteFailures() {
        synchronized (signal) {
            return failures;
        }
    }

    /** {@code castellan_audit_anchor_lag_entries}, {@code _writes_total}, {@code _write_failures_total}. */
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("castellan.audit.anchor.lag.entries", this, AuditHeadAnchor::lagEntries)
                .description("Audit entries committed but not yet in the head anchor file (it follows in the background).")
                .register(registry);
        FunctionCounter.builder("castellan.audit.anchor.writes", this, AuditHeadAnchor::anchorWrites)
                .description("Writes of the audit head anchor file (each covers every commit before it).").register(registry);
        FunctionCounter.builder("castellan.audit.anchor.write.failures", this, AuditHeadAnchor::anchorWriteFailures)
                .description("Failed writes of the audit head anchor file (each is retried).").register(registry);
    }

    /** The committed end of the log, as the next anchor write will record it. */
    public AuditHead committedHead() {
        return committed.head();
    }

    /** Writes the final committed head (call after the database writer has stopped) and stops the thread. */
    @Override
    public void close() {
        synchronized (signal) {
            stopping = true;
            signal.notifyAll();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
