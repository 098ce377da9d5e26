package org.castellan.server.db;

/**
 * Told how each {@link Database#write} transaction ended, on the writing thread. The audit head
 * anchor uses it: it may only record what has committed, never what might still roll back.
 */
public interface WriteListener {
    WriteListener NONE = new WriteListener() {
        @Override
        public void committed() {}

        @Override
        public void rolledBack() {}

        @Override
        public void afterCommit() {}
    };

    /** Under the single-writer lock, right after a durable commit: transactions arrive in commit order. Must not block. */
    void committed();

    /** Under the single-writer lock, when the transaction did not commit. Must not block. */
    void rolledBack();

    /** After {@link #committed()}, once the writer lock is released: slow follow-up work (file I/O) goes here. */
    void afterCommit();
}
