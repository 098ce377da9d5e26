package org.castellan.server.guard;

import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.castellan.server.db.Database;

/**
 * Deletes the nonces that can never be accepted again (stamped before the skew window), in
 * batches of at most {@link #BATCH} rows, each its own write. Run every {@link #EVERY} by the
 * retention job, on one node of several ({@link AgentGuard#noncePurger}, on the guard's own skew): an agent's request pays only for its own nonce, and a
 * server started after a long stop deletes what piled up without one huge transaction (on SQLite
 * the WAL takes all of one transaction at once, before any checkpoint can copy it).
 *
 * <p>Nothing a replay could use is ever deleted: a row goes only once its timestamp is outside
 * the skew window by a minute more (nodes' clocks may differ that much), when every request
 * carrying it is refused as stale anyway. The deletes are plain durable writes, a few a minute.
 */
public final class NoncePurger {
    /** At 280 check-ins a second a minute's nonces are ~17,000 rows: a few batches a run. */
    public static final Duration EVERY = Duration.ofMinutes(1);
    static final int BATCH = 5_000;
    private final Database db;
    private final NonceStore nonces;
    private final int batch;
    private volatile BooleanSupplier leader = () -> true;

    NoncePurger(Database db, Clock clock, Duration maxSkew) {
        this(db, clock, maxSkew, BATCH);
    }

    NoncePurger(Database db, Clock clock, Duration maxSkew, int batch) {
        this.db = db;
        this.nonces = new NonceStore(clock, maxSkew);
        this.batch = batch;
    }

    /** The scheduled purge runs only while {@code newLeader} says this node runs it (one node of several). */
    public void runWhen(BooleanSupplier newLeader) {
        this.leader = newLeader;
    }

    /** The scheduled run: purges when this node leads; returns how many went, -1 when another node leads. */
    public int purgeIfLeader() {
        return leader.getAsBoolean() ? purge() : -1;
    }

    /** Deletes every stale nonce, a batch per write, until a batch comes back short; returns how many. */
    public int purge() {
        int total = 0;
        int deleted;
        do {
            deleted = db.write(c -> nonces.pruneStale(c, batch));
            total += deleted;
        } while (deleted == batch);
        return total;
    }
}
