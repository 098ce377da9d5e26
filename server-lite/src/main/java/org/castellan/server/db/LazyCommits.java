package org.castellan.server.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the embedded writer may commit a batch without waiting for its fsync, and what a start
 * after an operating-system crash must assume was lost (the row {@code commit_lease}, sqlite V95).
 *
 * <p>Only bookkeeping asks to be written lazily ({@link Database#writeBookkeeping}): a check-in's
 * nonce and {@code last_seen_at}, and the background fill of a device group's match rows (which
 * commits its cursor with them, so a loss sets it back; groups/DeviceGroupMatchFill). A batch made only of such units commits with
 * {@code synchronous=NORMAL}: in WAL mode the commit is in the kernel's page cache when the callers
 * are answered, so it survives a crash of the server, but a crash of the kernel may lose the
 * newest of them. Nothing else is ever lazy: a batch with one durable unit in it commits with
 * {@code synchronous=FULL}, and because the WAL is one file written in commit order, that fsync
 * makes every lazy commit before it durable too (what survives a crash is always a prefix).
 *
 * <p>A lost nonce could let a captured request be replayed. So the writer commits lazily only
 * while a lease, written durably beforehand, covers the moment (renewed when half of it is
 * left), and the lease names the boot of the kernel that holds the lazy commits. A clean stop
 * releases it with a durable write. A start that finds an unreleased lease of <em>another</em>
 * boot knows that commits up to the lease's end may be gone and keeps that instant
 * ({@link #lostUntil}); the agent guard then refuses every signed request whose timestamp is at
 * or before it plus the allowed skew (a lost nonce's request cannot carry a later one) with 503,
 * until such requests are stale anyway. A start on the same boot (the server crashed, the kernel
 * did not) loses nothing: the page cache still holds the commits, and this start's durable write
 * of the lease puts them on disk.
 */
final class LazyCommits {
    /** How far ahead one durable lease write lets the writer commit lazily. */
    static final Duration LEASE = Duration.ofSeconds(60);
    private static final Logger LOG = LoggerFactory.getLogger(LazyCommits.class);

    private final Clock clock;
    private final String bootId;
    private final Instant lostUntil;
    private long leaseUntilMillis; // writer thread only; 0 = released

    private LazyCommits(Clock clock, String bootId, Instant lostUntil) {
        this.clock = clock;
        this.bootId = bootId;
        this.lostUntil = lostUntil;
    }

    /**
     * At start-up, in a durable write: reads the last run's lease, keeps what it implies may have
     * been lost, and releases it for this run.
     */
    static LazyCommits start(Connection c, Clock clock, String bootId) throws SQLException {
        String leaseBoot;
        long lazyUntil;
        long lost;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT boot_id, lazy_until_ms, lost_until_ms FROM commit_lease WHERE id = 1")) {
            if (!rs.next()) {
                throw new SQLException("commit_lease has no row");
            }
            leaseBoot = rs.getString(1);
            lazyUntil = rs.getLong(2);
            lost = rs.getLong(3);
        }
        if (lazyUntil > 0 && !leaseBoot.equals(bootId)) {
            lost = Math.max(lost, lazyUntil);
            LOG.warn("The last run of this server committed check-in bookkeeping lazily until {} and the operating"
                    + " system has restarted since (boot {} -> {}): those commits may be lost, so signed agent requests"
                    + " stamped before then plus the allowed skew are refused with 503 until they are stale",
                    Instant.ofEpochMilli(lazyUntil), leaseBoot, bootId);
        }
        try (PreparedStatement st = Rows.bind(c.prepareStatement("UPDATE commit_lease SET boot_id = ?, lazy_until_ms = 0,"
                + " lost_until_ms = ?, syncs = syncs + 1 WHERE id = 1"), bootId, lost)) {
            st.executeUpdate();
        }
        return new LazyCommits(clock, bootId, lost == 0 ? null : Instant.ofEpochMilli(lost));
    }

    /** Commits up to this instant may have been lost in an operating-system crash; empty if none. */
    Optional<Instant> lostUntil() {
        return Optional.ofNullable(lostUntil);
    }

    /**
     * Writer thread, before a batch of bookkeeping, on a connection outside any transaction:
     * makes sure a durable lease covers now (renewing it once half is used). False if the lease
     * could not be written: the batch then commits durably.
     */
    boolean leaseCoversNow(Connection c) {
        long now = clock.millis();
        if (leaseUntilMillis - now > LEASE.toMillis() / 2) {
            return true;
        }
        try {
            writeLease(c, now + LEASE.toMillis());
            return true;
        } catch (SQLException e) {
            LOG.warn("cannot renew the lazy-commit lease, committing durably: {}", e.toString());
            return false;
        }
    }

    /**
     * Writer thread, outside any transaction: a durable commit that puts every lazy commit
     * before it on disk (the WAL's fsync covers all its earlier frames). Used when a lazy batch
     * turned out to append an audit row, whose durability is never negotiable, and at a stop.
     */
    void sync(Connection c) throws SQLException {
        writeLease(c, leaseUntilMillis);
    }

    /** Writer thread, at a clean stop, after the last batch: nothing lazy is outstanding any more. */
    void release(Connection c) throws SQLException {
        writeLease(c, 0);
    }

    private void writeLease(Connection c, long until) throws SQLException {
        Durability.FULL.apply(c);
        try (PreparedStatement st = Rows.bind(c.prepareStatement("UPDATE commit_lease SET boot_id = ?, lazy_until_ms = ?,"
                + " syncs = syncs + 1 WHERE id = 1"), bootId, until)) {
            st.executeUpdate(); // auto-commit: its own transaction, fsynced (synchronous=FULL)
        }
        leaseUntilMillis = until;
    }

    /** The two {@code synchronous} settings the writer uses; SQLite changes it only outside a transaction. */
    enum Durability {
        FULL("PRAGMA synchronous = FULL"),
        LAZY("PRAGMA synchronous = NORMAL");

        private final String pragma;

        Durability(String pragma) {
            this.pragma = pragma;
        }

        void apply(Connection c) throws SQLException {
            try (Statement st = c.createStatement()) {
                st.execute(pragma);
            }
        }
    }
}
