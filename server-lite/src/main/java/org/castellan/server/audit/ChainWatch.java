package org.castellan.server.audit;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.castellan.server.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies the audit hash chain in the background, so an entry edited, deleted or inserted in the
 * middle of the log is noticed without an operator running {@code audit verify}. Each step checks
 * up to {@value #ROWS_PER_STEP} entries from where the last one stopped; reaching the end completes
 * a pass, which also checks that the entry the server committed last is still there with its hash
 * (the newest entries deleted), and the next pass starts again at the first entry. Steps run every
 * {@link #EVERY} on one daemon thread. A break is latched (logged at ERROR once, reported until
 * restart): it is evidence, not a transient condition. The result is in {@code /healthz} (detail
 * {@code audit}) and {@code /metrics}.
 */
public final class ChainWatch {
    private static final Logger LOG = LoggerFactory.getLogger(ChainWatch.class);
    public static final int ROWS_PER_STEP = 5_000;
    public static final Duration EVERY = Duration.ofSeconds(10);

    private final Database db;
    private final Clock clock;
    private final Supplier<AuditHead> committedHead;
    private ScheduledExecutorService executor;

    // The running pass; guarded by this.
    private long cursorId;
    private String previousHash = AuditChain.GENESIS;
    private long checkedThisPass;
    private AuditHead expectedAtPassStart;
    // Results; guarded by this.
    private long passes;
    private long lastPassEntries;
    private Instant lastPassAt;
    private Long brokenAt;
    private String problem;

    /** @param committedHead the end the server committed last (the head anchor's), checked at each pass end */
    public ChainWatch(Database db, Clock clock, Supplier<AuditHead> committedHead) {
        this.db = db;
        this.clock = clock;
        this.committedHead = committedHead;
    }

    /** What the chain looked like at the last step. */
    public record Status(String chain, long passes, long entriesVerified, Instant lastFullPassAt, Long brokenAt,
                         String problem) {
        public Map<String, Object> asMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("chain", chain);
            map.put("passes", passes);
            map.put("entriesVerified", entriesVerified);
            map.put("lastFullPassAt", lastFullPassAt == null ? null : lastFullPassAt.toString());
            if (brokenAt != null) {
                map.put("brokenAt", brokenAt);
                map.put("problem", problem);
            }
            return map;
        }

        public boolean broken() {
            return brokenAt != null;
        }
    }

    public synchronized Status status() {
        String chain = brokenAt != null ? "broken" : passes == 0 ? "verifying" : "intact";
        return new Status(chain, passes, lastPassEntries, lastPassAt, brokenAt, problem);
    }

    /** One step; returns true when it completed a pass. */
    public synchronized boolean step() {
        if (brokenAt != null) {
            return false;
        }
        if (cursorId == 0) {
            expectedAtPassStart = committedHead.get();
        }
        AuditHead expected = expectedAtPassStart;
        List<AuditEntry> entries = db.read(c -> SqlAuditLog.after(c, cursorId, ROWS_PER_STEP));
        for (AuditEntry entry : entries) {
            if (!previousHash.equals(entry.prevHash())) {
                return broke(entry.id(), "does not follow the previous entry (an entry before it was deleted, edited or moved)");
            }
            if (!AuditChain.hash(entry).equals(entry.hash())) {
                return broke(entry.id(), "content does not match its hash (the entry was edited)");
            }
            previousHash = entry.hash();
            cursorId = entry.id();
            checkedThisPass++;
        }
        if (entries.size() == ROWS_PER_STEP) {
            return false;
        }
        // The end of the log: it must still reach what the server had committed when the pass began.
        if (expected != null && expected.id() > 0) {
            String hash = db.read(c -> SqlAuditLog.hashOf(c, expected.id()));
            if (!expected.hash().equals(hash)) {
                return broke(expected.id(), hash == null
                        ? "the entry the server committed is missing (the newest entries were deleted)"
                        : "the entry the server committed has another hash now (the log was rewritten)");
            }
        }
        passes++;
        lastPassEntries = checkedThisPass;
        lastPassAt = clock.instant();
        cursorId = 0;
        previousHash = AuditChain.GENESIS;
        checkedThisPass = 0;
        return true;
    }

    /** Runs steps until a whole pass is done (or the chain is found broken): tests, and the first pass at start. */
    public synchronized Status verifyNow() {
        while (!step() && brokenAt == null) {
            // next step
        }
        return status();
    }

    private boolean broke(long id, String why) {
        brokenAt = id;
        problem = why;
        LOG.error("Audit log BROKEN at entry {}: {}. Run 'castellan-server audit verify' and investigate", id, why);
        return false;
    }

    public void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "castellan-audit-chain-watch");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(() -> {
            try {
                step();
            } catch (RuntimeException e) {
                LOG.warn("Background audit chain check could not read the log; retrying: {}", e.toString());
            }
        }, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void stop() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /**
     * The chain check's meters: {@code castellan_audit_chain_intact} (1, 0 broken, -1 before the
     * first pass), {@code _broken_entry}, {@code _verified_entries}, {@code _passes_total},
     * {@code _last_pass_timestamp_seconds}.
     */
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("castellan.audit.chain.intact", this, w -> {
            Status s = w.status();
            return s.broken() ? 0 : s.passes() == 0 ? -1 : 1;
        }).description("1 when the last background pass found the audit chain intact, 0 when it is broken, "
                + "-1 before the first pass completed.").register(registry);
        Gauge.builder("castellan.audit.chain.broken.entry", this, w -> {
            Status s = w.status();
            return s.broken() ? s.brokenAt() : 0;
        }).description("Id of the first bad audit entry found, 0 when none.").register(registry);
        Gauge.builder("castellan.audit.chain.verified.entries", this, w -> w.status().entriesVerified())
                .description("Entries checked by the last complete pass.").register(registry);
        FunctionCounter.builder("castellan.audit.chain.passes", this, w -> w.status().passes())
                .description("Complete background passes over the audit chain.").register(registry);
        Gauge.builder("castellan.audit.chain.last.pass.timestamp", this, w -> {
            Instant at = w.status().lastFullPassAt();
            return at == null ? 0 : at.getEpochSecond();
        }).baseUnit("seconds").description("When the last complete pass ended.").register(registry);
    }
}
