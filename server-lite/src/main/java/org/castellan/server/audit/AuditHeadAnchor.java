package org.castellan.server.audit;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;
import org.castellan.server.db.Database;
import org.castellan.server.db.StorageException;
import org.castellan.server.db.WriteListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code DIR/audit/head} at the end of the committed audit chain, so deleting the newest
 * entries (or putting back an older database) is detectable by {@code audit verify}.
 *
 * <p>Order: an append only stages the new head (undone if its unit of work rolls back to its
 * savepoint); the group commit of the batch makes it the committed head (in memory, on the
 * database's writer thread, in commit order); then, off the writer thread, each request whose
 * unit appended writes the anchor before it answers. The anchor is therefore never ahead
 * of the database (no false alarm) and is behind it only between a commit and the anchor write.
 * Anchor writes are grouped: whoever gets the file first writes the newest committed head, which
 * covers every request of its batch and of any batch that committed meanwhile; those find their
 * commit anchored and return. So one anchor write serves at least a whole batch of appends, and a request is answered only once
 * its audit entry is both committed and anchored.
 *
 * <p>The server also checks, on every append, that the database still ends where it committed
 * last: if someone deleted entries behind its back it refuses the append (the write rolls back)
 * instead of anchoring the shortened log over the evidence.
 */
public final class AuditHeadAnchor implements WriteListener, AppendListener {
    private static final Logger LOG = LoggerFactory.getLogger(AuditHeadAnchor.class);

    private final HeadAnchorFile file;
    private final Object fileLock = new Object();
    private AuditHead pending; // touched only on the database writer thread
    private AuditHead pendingBeforeUnit; // likewise: where the running unit of work started
    private volatile Committed committed;
    private long anchoredSeq; // guarded by fileLock
    private long writes; // guarded by fileLock

    private record Committed(long seq, AuditHead head) {}

    private AuditHeadAnchor(HeadAnchorFile file, AuditHead start) {
        this.file = file;
        this.committed = new Committed(0, start);
    }

    /**
     * Checks the database against the anchor by {@link AnchorRule} and starts tracking it: a first
     * start (empty log, no anchor material) creates the key and anchors the empty log; anything
     * else the rule refuses throws {@link AuditAnchorException} and writes nothing.
     */
    public static AuditHeadAnchor open(Database db, Path dataDir, SecureRandom random) throws IOException {
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
            return new AuditHeadAnchor(file, end);
        }
        AuditHead anchor = ((AnchorRule.Found.Head) found).head();
        if (end.id() != anchor.id()) {
            // Committed just before a crash, before their anchor write: chained onto the anchored head.
            LOG.warn("Audit log has {} entries after its anchored head (entry {}), committed just before the last stop; "
                    + "anchoring them", end.count() - anchor.count(), anchor.id());
            file.write(end);
        }
        return new AuditHeadAnchor(file, end);
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
        return pending != pendingBeforeUnit; // it appended: its caller must see the anchor written
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
        Committed next = new Committed(committed.seq() + 1, pending);
        committed = next;
        pending = null;
        pendingBeforeUnit = null;
        return next.seq();
    }

    @Override
    public void rolledBack() {
        pending = null;
        pendingBeforeUnit = null;
    }

    @Override
    public void afterCommit(long seq) {
        if (seq == 0) {
            return;
        }
        synchronized (fileLock) {
            if (anchoredSeq >= seq) {
                return; // a write by another request already covered this commit
            }
            Committed newest = committed;
            try {
                file.write(newest.head());
            } catch (IOException | RuntimeException e) {
                // Committed but not anchored: the request fails loudly; the next append's anchor covers it.
                throw new StorageException("audit head anchor write failed after commit of entry " + newest.head().id(), e);
            }
            anchoredSeq = newest.seq();
            writes++;
        }
    }

    /** How many times the anchor file was written since start (grouping makes it fewer than the commits). */
    public long anchorWrites() {
        synchronized (fileLock) {
            return writes;
        }
    }

    /** The committed end of the log, as the next anchor write will record it. */
    public AuditHead committedHead() {
        return committed.head();
    }
}
