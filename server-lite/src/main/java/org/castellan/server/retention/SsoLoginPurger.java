package org.castellan.server.retention;

import java.time.Clock;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.castellan.server.db.Database;
import org.castellan.server.sso.SqlSsoStore;

/**
 * Housekeeping for single sign-on: a sign-in under way ({@code sso_logins}: state hash, nonce,
 * PKCE verifier) opens nothing once {@link SqlSsoStore#LOGIN_WINDOW} has passed, used or not, so
 * rows older than that are deleted on the leader node's retention run. Nothing of record is lost:
 * the sign-in itself (granted or refused) is in the audit log, which this never touches.
 */
public final class SsoLoginPurger {
    private final Database db;
    private final SqlSsoStore store;
    private final Clock clock;
    private volatile BooleanSupplier leader = () -> true;

    public SsoLoginPurger(Database db, SqlSsoStore store, Clock clock) {
        this.db = db;
        this.store = store;
        this.clock = clock;
    }

    /** The scheduled purge runs only while {@code newLeader} says this node runs it (one node of several). */
    public void runWhen(BooleanSupplier newLeader) {
        this.leader = newLeader;
    }

    /** The scheduled run: purges when this node leads; returns how many went, -1 when another node leads. */
    public int purgeIfLeader() {
        return leader.getAsBoolean() ? purge() : -1;
    }

    /** Deletes the sign-ins started before the window; returns how many. */
    public int purge() {
        Instant cutoff = clock.instant().minus(SqlSsoStore.LOGIN_WINDOW);
        return db.write(c -> store.purgeStartedBefore(c, cutoff));
    }
}
