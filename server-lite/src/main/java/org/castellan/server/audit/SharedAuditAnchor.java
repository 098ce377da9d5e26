package org.castellan.server.audit;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.castellan.server.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit anchor for several nodes on one PostgreSQL database (docs/postgresql.md, "The audit
 * anchor"). Three parts, two of them outside the database:
 * <ul>
 *   <li>the anchor key {@code DIR/audit/anchor.key}, the same on every node (copied like the vault
 *       keys), never in the database;</li>
 *   <li>the chain head row ({@link SharedChainHead}), HMAC'd under that key and moved on by every
 *       append in its own transaction: truncating or deleting audit entries leaves it pointing past
 *       the log's end, and forging a shorter head needs the key;</li>
 *   <li>each node's witness {@code DIR/audit/head} (the same format as the embedded database's
 *       anchor file): the newest head that node has seen, written off the request path every
 *       {@link #WITNESS_EVERY} and at stop. Putting back an older copy of the whole database
 *       (rows and head row together) leaves every node's witness ahead of it.</li>
 * </ul>
 * At start the {@link AnchorRule} decides: no key, no row and an empty log is a first start (and
 * so is a key provisioned on every node before the cluster's first start, over an entirely fresh
 * database, on a node without a witness); the key missing, the row missing, a row failing its
 * HMAC, or a log or witness the row does not reach stops the node until an operator's audited
 * re-anchor. Nodes starting at once do this one at a time, under the start-up lock
 * ({@code Database#openToServe}): the first creates the row, the others check it.
 */
public final class SharedAuditAnchor implements AutoCloseable {
    public static final Duration WITNESS_EVERY = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(SharedAuditAnchor.class);

    private final Database db;
    private final HeadAnchorFile file;
    private final SharedChainHead head;
    private final Object witnessLock = new Object();
    private AuditHead witnessed; // guarded by witnessLock
    private ScheduledExecutorService executor;

    private SharedAuditAnchor(Database db, HeadAnchorFile file, SharedChainHead head, AuditHead witnessed) {
        this.db = db;
        this.file = file;
        this.head = head;
        this.witnessed = witnessed;
    }

    /** Checks the database against the anchor material by {@link AnchorRule}; throws {@link AuditAnchorException} to refuse. */
    public static SharedAuditAnchor open(Database db, Path dataDir, SecureRandom random, Clock clock) throws IOException {
        HeadAnchorFile file = new HeadAnchorFile(dataDir);
        SharedChainHead head = new SharedChainHead(file, clock);
        AuditHead end = db.read(SqlAuditLog::head);
        Optional<SharedChainHead.Row> row = db.read(c -> SharedChainHead.read(c, false));
        // The anchor key provisioned on every node before the first start of a cluster (nodes started at
        // once, see docs/postgresql.md): over an entirely fresh database, and on a node that has never
        // witnessed a chain, the key alone is a first start too. Anything less fresh is judged by find().
        boolean provisioned = row.isEmpty() && end.count() == 0 && file.keyExists() && file.keyUsable()
                && !file.headExists() && db.read(SharedAuditAnchor::fresh);
        AnchorRule.Found found = provisioned ? new AnchorRule.Found.Nothing() : find(file, head, row);
        Optional<String> problem = found instanceof AnchorRule.Found.Head recorded
                ? compare(db, recorded.head(), end, "the chain head row")
                : Optional.empty();
        if (problem.isEmpty() && found instanceof AnchorRule.Found.Head && file.headExists()) {
            // This node's witness: the log must still reach what this node saw last.
            AuditHead witness;
            try {
                witness = file.read().orElseThrow();
            } catch (AuditAnchorException e) {
                throw refuse(e.getMessage());
            }
            problem = compare(db, witness, end, "this node's witness " + file.headPath());
        }
        if (AnchorRule.decide(found, end, problem) == AnchorRule.Decision.CREATE) {
            if (!provisioned) {
                file.createKey(random);
            }
            db.write(c -> {
                head.put(c, end);
                return null;
            });
        }
        SharedAuditAnchor anchor = new SharedAuditAnchor(db, file, head, null);
        anchor.witnessNow();
        return anchor;
    }

    /**
     * For {@code audit verify}: what is wrong with the anchor of a log ending at {@code end} (the
     * chain head row, its key, this node's witness), empty when the log reaches them all.
     */
    public static Optional<String> problem(Database db, Path dataDir, AuditHead end) throws IOException {
        HeadAnchorFile file = new HeadAnchorFile(dataDir);
        SharedChainHead head = new SharedChainHead(file, Clock.systemUTC());
        Optional<SharedChainHead.Row> row = db.read(c -> SharedChainHead.read(c, false));
        AnchorRule.Found found = find(file, head, row);
        if (found instanceof AnchorRule.Found.Nothing) {
            return end.count() == 0 ? Optional.empty()
                    : Optional.of("the audit log has " + end.count() + " entries but no chain head row and no anchor key");
        }
        if (found instanceof AnchorRule.Found.Unusable unusable) {
            return Optional.of(unusable.problem());
        }
        AuditHead recorded = ((AnchorRule.Found.Head) found).head();
        Optional<String> problem = compare(db, recorded, end, "the chain head row");
        if (problem.isEmpty() && end.id() != recorded.id()) {
            problem = Optional.of("the chain head row: the log ends at entry " + end.id() + " but the row says "
                    + recorded.id() + " (entries were added outside the server)");
        }
        if (problem.isEmpty() && file.headExists()) {
            try {
                problem = compare(db, file.read().orElseThrow(), end, "this node's witness " + file.headPath());
            } catch (AuditAnchorException e) {
                problem = Optional.of(e.getMessage());
            }
        }
        return problem;
    }

    /** No user, no device, no audit entry: nothing has ever been bootstrapped in this database. */
    private static boolean fresh(java.sql.Connection c) throws java.sql.SQLException {
        try (java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM devices)"
                     + " + (SELECT count(*) FROM audit_log)")) {
            return rs.next() && rs.getLong(1) == 0;
        }
    }

    static AnchorRule.Found find(HeadAnchorFile file, SharedChainHead head, Optional<SharedChainHead.Row> row) {
        if (!file.keyExists() && row.isEmpty()) {
            return new AnchorRule.Found.Nothing();
        }
        if (!file.keyExists()) {
            return new AnchorRule.Found.Unusable("the audit anchor key " + file.keyPath() + " is missing on this node"
                    + " (copy it from the first node, with the vault keys)");
        }
        if (row.isEmpty()) {
            return new AnchorRule.Found.Unusable("the audit chain head row is missing from the database but the anchor"
                    + " key " + file.keyPath() + " exists");
        }
        if (!file.keyUsable()) {
            return new AnchorRule.Found.Unusable("the audit anchor key " + file.keyPath() + " cannot be read or has the wrong size");
        }
        if (!head.authentic(row.get())) {
            return new AnchorRule.Found.Unusable("the audit chain head row fails its HMAC check (forged, or "
                    + file.keyPath() + " differs from the other nodes')");
        }
        return new AnchorRule.Found.Head(row.get().head());
    }

    private static Optional<String> compare(Database db, AuditHead recorded, AuditHead end, String what) {
        Optional<String> problem = db.read(c -> HeadComparison.problem(recorded, end,
                SqlAuditLog.hashOf(c, recorded.id()), SqlAuditLog.countUpTo(c, recorded.id())));
        return problem.map(p -> what + ": " + p);
    }

    private static AuditAnchorException refuse(String problem) {
        try {
            AnchorRule.decide(new AnchorRule.Found.Unusable(problem), AuditHead.EMPTY, Optional.empty());
        } catch (AuditAnchorException e) {
            return e;
        }
        throw new IllegalStateException("unreachable");
    }

    /** Where appends find the chain's end. */
    public ChainTip tip() {
        return head;
    }

    /** The head the database's chain head row records now (read each time: other nodes move it). */
    public AuditHead committedHead() {
        return db.read(c -> SharedChainHead.read(c, false)).map(SharedChainHead.Row::head).orElse(AuditHead.EMPTY);
    }

    /** Writes this node's witness file if the chain moved on since the last write. */
    public void witnessNow() throws IOException {
        synchronized (witnessLock) {
            Optional<SharedChainHead.Row> row = db.read(c -> SharedChainHead.read(c, false));
            if (row.isEmpty() || !head.authentic(row.get())) {
                return; // appends refuse too; the next start names the problem
            }
            AuditHead now = row.get().head();
            if (witnessed != null && witnessed.id() >= now.id()) {
                return;
            }
            file.write(now);
            witnessed = now;
        }
    }

    public synchronized void start() {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "castellan-audit-witness");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(() -> {
            try {
                witnessNow();
            } catch (IOException | RuntimeException e) {
                LOG.warn("audit witness write failed: {}", e.getMessage());
            }
        }, WITNESS_EVERY.toMillis(), WITNESS_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the witness thread after one last write. */
    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
        try {
            witnessNow();
        } catch (IOException | RuntimeException e) {
            LOG.warn("audit witness write at stop failed: {}", e.getMessage());
        }
    }
}
