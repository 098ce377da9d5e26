package org.castellan.server.db;

/**
 * Told how each unit of {@link Database#write} work and each group commit ended. The audit head
 * anchor uses it: it may only record what has committed, never what might still roll back.
 *
 * <p>Units run one after another on the database's writer thread, each in a savepoint of the
 * batch's one transaction; all the methods but {@link #afterCommit} are called there, in order
 * (so they need no locking of their own) and must not block.
 */
public interface WriteListener {
    WriteListener NONE = new WriteListener() {
        @Override
        public void beforeUnit() {}

        @Override
        public boolean unitKept() {
            return false;
        }

        @Override
        public void unitUndone() {}

        @Override
        public long committed() {
            return 0;
        }

        @Override
        public void rolledBack() {}

        @Override
        public void afterCommit(long ticket) {}
    };

    /** Writer thread: a unit of work is about to run. */
    void beforeUnit();

    /**
     * Writer thread: the unit returned normally and stays in the batch. True when it staged
     * something that needs {@link #afterCommit} on its caller's thread once the batch commits.
     */
    boolean unitKept();

    /** Writer thread: the unit failed and was rolled back to its savepoint; forget what it staged. */
    void unitUndone();

    /**
     * Writer thread, right after a durable commit of a batch (batches arrive in commit order).
     * Returns a ticket handed to {@link #afterCommit} of the units that asked for it, 0 for none.
     */
    long committed();

    /** Writer thread: the batch's transaction did not commit; everything staged is void. */
    void rolledBack();

    /**
     * The caller's thread, after the commit that holds its unit, before {@link Database#write}
     * returns: slow follow-up work (file I/O) goes here, off the writer thread.
     */
    void afterCommit(long ticket);
}
