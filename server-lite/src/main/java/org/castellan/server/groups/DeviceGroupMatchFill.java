package org.castellan.server.groups;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.castellan.server.db.Database;
import org.castellan.server.db.Dialect;
import org.castellan.server.db.Rows;
import org.castellan.server.devices.SqlDeviceStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a device group's rows in bounded writes, off the admin's transaction: at a million
 * devices, filling a match of 100,000 devices was one write of 1.1-1.6 s and deleting such a group
 * one of 1.5-3.4 s, during which the one SQLite writer held every check-in and reveal (a
 * registration key's group, explicit members of most of the fleet, is the same when deleted).
 *
 * <ul>
 *   <li><b>Fill.</b> A group whose match was created or changed has {@code match_fill_after} set
 *       to {@code ''} (the triggers of V97). Each write takes the next {@link #BATCH} devices in id
 *       order from that cursor, deletes the group's rows in that range, inserts what the match
 *       selects there, and moves the cursor, all in one transaction. The match is tested as
 *       {@link SqlDeviceStore#scopeSql} tests it, which is also how readers test it while the group
 *       fills; db/migration/V93's view, which the device triggers use, is the same predicate, and
 *       DeviceGroupMatchesTest holds both to the access evaluator's own match. Until the cursor is
 *       {@code NULL} again, readers test the match on the devices ({@link DeviceGroupRow#matchFilling}).</li>
 *   <li><b>Purge.</b> A deleted group's id is recorded in {@code device_group_match_purges} (V98)
 *       and its rows, of {@code device_group_members} (V99) and of {@code device_group_matches},
 *       are deleted {@link #PURGE_BATCH} at a time. No reader asks for a group id that no
 *       longer exists, and ids are never used again.</li>
 * </ul>
 *
 * <p>Run on the node that saved or deleted the group, right after its write ({@link #requested}),
 * and every {@link #SWEEP_EVERY} on the job-leader node, so a fill or purge cut off by a stop or a
 * crash goes on (the cursor is committed with each batch's rows). Two nodes working on the same
 * group at once do the same work twice, never wrong work: each fill write locks the group's row
 * first and reads the cursor under that lock.
 */
public final class DeviceGroupMatchFill {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceGroupMatchFill.class);
    /** At most this many devices' rows per write: ~1,000 inserts when a match selects every device. */
    static final int BATCH = 1_000;
    /**
     * At most this many rows of a deleted group per write. Fewer than a fill's: deleting a row
     * costs more pages than inserting one (measured at 1 M devices: 1,000 rows a write took 13 ms,
     * against 2 ms for a fill's 1,000 devices with ~100 inserts).
     */
    static final int PURGE_BATCH = 250;
    public static final Duration SWEEP_EVERY = Duration.ofMinutes(1);
    private final Database db;
    private final SqlDeviceGroupStore groups = new SqlDeviceGroupStore();
    private final int batch;
    private final int purgeBatch;
    private final AtomicBoolean queued = new AtomicBoolean();
    private volatile BooleanSupplier leader = () -> true;
    private ScheduledExecutorService executor;

    public DeviceGroupMatchFill(Database db) {
        this(db, BATCH, PURGE_BATCH);
    }

    /** {@code batch}: devices per fill write and rows per purge write (tests use a few to make many writes). */
    public DeviceGroupMatchFill(Database db, int batch) {
        this(db, batch, batch);
    }

    private DeviceGroupMatchFill(Database db, int batch, int purgeBatch) {
        if (batch < 1 || purgeBatch < 1) {
            throw new IllegalArgumentException("batches must be positive: " + batch + ", " + purgeBatch);
        }
        this.db = db;
        this.batch = batch;
        this.purgeBatch = purgeBatch;
    }

    /** The sweep runs only while {@code newLeader} says this node runs it (one node of several). */
    public void runWhen(BooleanSupplier newLeader) {
        this.leader = newLeader;
    }

    /** Starts the background thread: a sweep now (what a stop left), then every {@link #SWEEP_EVERY}. */
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "castellan-group-match-fill");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::sweepIfLeader, 0, SWEEP_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * A group's match was saved: fills it in the background soon (once for any number of requests
     * made before the fill starts). Ignored before {@link #start} and after {@link #stop}: the sweep
     * of a later start finds what is left.
     */
    public synchronized void requested() {
        if (executor != null && queued.compareAndSet(false, true)) {
            executor.execute(() -> {
                queued.set(false);
                fillLogged();
            });
        }
    }

    private void sweepIfLeader() {
        if (leader.getAsBoolean()) {
            fillLogged();
        }
    }

    private void fillLogged() {
        try {
            fillAll();
        } catch (RuntimeException e) {
            // Caught so the schedule goes on; the cursor is where the last write left it.
            LOG.warn("filling device group matches failed (the next sweep goes on): {}", e.toString());
        }
    }

    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
    }

    /**
     * Fills every group waiting for it to the end, a write per batch, and pauses after each write
     * as long as it took: the fill takes at most half of the writer's time (and of a core), the
     * requests in between the rest. Returns how many writes it made.
     */
    public int fillAll() {
        int writes = 0;
        for (String group : db.read(c -> ids(c, WAITING))) {
            Drained fill = drain(() -> fillBatch(group));
            writes += fill.writes();
            if (fill.stopped()) {
                return writes; // stopping: the next start goes on from the cursor
            }
            LOG.info("device group {}: match filled in {} writes, {} ms (of which {} ms writing)", group,
                    fill.writes(), fill.millis(), fill.writingMillis());
        }
        for (String group : db.read(c -> ids(c, DELETED))) {
            Drained purge = drain(() -> db.writeBookkeeping(c -> purgeBatch(c, group)));
            writes += purge.writes();
            if (purge.stopped()) {
                return writes;
            }
            LOG.info("deleted device group {}: its members' and match's rows purged in {} writes, {} ms", group,
                    purge.writes(), purge.millis());
        }
        return writes;
    }

    /** How one group's writes went: how many, how long in all and in the writes, and whether a stop cut them off. */
    private record Drained(int writes, long millis, long writingMillis, boolean stopped) {}

    /** Runs {@code write} until it says nothing is left, pausing after each as long as it took. */
    private static Drained drain(BooleanSupplier write) {
        long started = System.nanoTime();
        long writing = 0;
        int writes = 0;
        boolean more = true;
        while (more) {
            long before = System.nanoTime();
            more = write.getAsBoolean();
            long took = System.nanoTime() - before;
            writing += took;
            writes++;
            if (more && !pause(took)) {
                return new Drained(writes, (System.nanoTime() - started) / 1_000_000, writing / 1_000_000, true);
            }
        }
        return new Drained(writes, (System.nanoTime() - started) / 1_000_000, writing / 1_000_000, false);
    }

    /** The groups whose rows are being filled. */
    private static final String WAITING = "SELECT id FROM device_groups WHERE match_fill_after IS NOT NULL ORDER BY id";
    /** The deleted groups whose rows are left to purge (db/sqlite/V98). */
    private static final String DELETED = "SELECT group_id FROM device_group_match_purges ORDER BY group_id";

    private static List<String> ids(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /**
     * One write: deletes up to {@link #purgeBatch} of a deleted group's explicit members' rows and
     * then of its match's rows, the first in device id order of each, and its purge record with the
     * last of them; true when more are left. Nothing reads those rows (no group has that id), so no
     * lock is needed: a device trigger or a device's purge may delete some of them too.
     */
    private boolean purgeBatch(Connection c, String groupId) throws SQLException {
        for (String table : List.of("device_group_members", "device_group_matches")) {
            String last = one(c, "SELECT device_id FROM " + table + " WHERE group_id = ? ORDER BY device_id"
                    + " LIMIT 1 OFFSET ?", groupId, purgeBatch - 1);
            try (PreparedStatement st = Rows.bind(c.prepareStatement("DELETE FROM " + table + " WHERE group_id = ?"
                    + (last == null ? "" : " AND device_id <= ?")), last == null ? new Object[] {groupId}
                    : new Object[] {groupId, last})) {
                st.executeUpdate();
            }
            if (last != null) {
                return true;
            }
        }
        try (PreparedStatement st = Rows.bind(c.prepareStatement(
                "DELETE FROM device_group_match_purges WHERE group_id = ?"), groupId)) {
            st.executeUpdate();
        }
        return false;
    }

    /** Sleeps {@code nanos}; false when interrupted (the server stops). */
    private static boolean pause(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * One write: the next batch of the group's devices; true when more are left after it. Written
     * as bookkeeping (on SQLite without its own fsync, db/LazyCommits.java): nothing is acknowledged
     * by it, and what a crash of the operating system could lose is the last batches with the cursor
     * that counts them, committed in the same transactions, so the fill goes on from an earlier
     * cursor and readers test the match meanwhile. Every later durable commit makes it durable too.
     * A durable write per batch took half of the fill's processor time in the kernel's fsync.
     */
    boolean fillBatch(String groupId) {
        return db.writeBookkeeping(c -> fillBatch(c, groupId));
    }

    private boolean fillBatch(Connection c, String groupId) throws SQLException {
        if (db.dialect() == Dialect.POSTGRESQL) {
            // Taken shared by every device trigger (V94): this write's range is recomputed after any
            // device change that judged those devices against an older match has committed.
            try (PreparedStatement st = c.prepareStatement("SELECT pg_advisory_xact_lock(device_group_matches_lock_key())");
                 ResultSet rs = st.executeQuery()) {
                rs.next();
            }
        }
        // Locks the group's row (PostgreSQL): a match changed meanwhile waits for this write, then
        // sets the cursor back to the start. No row: the group is filled, or gone.
        try (PreparedStatement st = Rows.bind(c.prepareStatement("UPDATE device_groups SET match_fill_after = match_fill_after"
                + " WHERE id = ? AND match_fill_after IS NOT NULL"), groupId)) {
            if (st.executeUpdate() == 0) {
                return false;
            }
        }
        String after = one(c, "SELECT match_fill_after FROM device_groups WHERE id = ?", groupId);
        DeviceGroupRow group = groups.byId(c, groupId).orElseThrow();
        // The batch's last device; none when fewer than a batch are left (this write goes to the end).
        String last = one(c, "SELECT id FROM devices WHERE id > ? ORDER BY id LIMIT 1 OFFSET ?", after, batch - 1);
        String range = " > ?" + (last == null ? "" : " AND %1$s <= ?");
        List<Object> params = new ArrayList<>(List.of(groupId, after));
        if (last != null) {
            params.add(last);
        }
        try (PreparedStatement st = Rows.bind(c.prepareStatement(
                "DELETE FROM device_group_matches WHERE group_id = ? AND device_id" + range.formatted("device_id")),
                params.toArray())) {
            st.executeUpdate();
        }
        if (group.accessMatch() != null) {
            // The match as SqlDeviceStore tests it on each device, its pattern bound once (db/migration/V93's
            // view, which the device triggers use, computes it again for every device: five times the work).
            String where = SqlDeviceStore.scopeSql(SqlDeviceGroupStore.matchScope(group), "", params);
            try (PreparedStatement st = Rows.bind(c.prepareStatement("INSERT INTO device_group_matches (group_id, device_id)"
                    + " SELECT ?, id FROM devices WHERE id" + range.formatted("id") + " AND " + where), params.toArray())) {
                st.executeUpdate();
            }
        }
        try (PreparedStatement st = Rows.bind(c.prepareStatement(
                "UPDATE device_groups SET match_fill_after = ? WHERE id = ?"), last, groupId)) {
            st.executeUpdate();
        }
        return last != null;
    }

    private static String one(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement st = Rows.bind(c.prepareStatement(sql), params); ResultSet rs = st.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
