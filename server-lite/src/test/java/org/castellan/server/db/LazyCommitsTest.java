package org.castellan.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.castellan.server.testing.SqliteOnly;
import org.castellan.server.testing.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lazy commits on a real SQLite file: only a batch of bookkeeping alone commits with
 * synchronous=NORMAL, under a durable lease naming the kernel's boot; anything else, an audit row
 * included, is on disk before its caller returns; a start after another boot keeps what may be lost.
 */
@SqliteOnly("the embedded writer's lazy commits; PostgreSQL commits every write durably")
class LazyCommitsTest {
    private static final int NORMAL = 1;
    private static final int FULL = 2;
    private static final String BOOT_A = UUID.randomUUID().toString();
    private static final String BOOT_B = UUID.randomUUID().toString();

    @TempDir
    Path dir;
    private final TestClock clock = TestClock.now();
    private Database db;

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    private Database open(Optional<String> boot) throws Exception {
        Database opened = Database.open(dir);
        opened.allowLazyCommits(clock, boot);
        return opened;
    }

    private static int synchronous(Connection c) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery("PRAGMA synchronous")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static long[] lease(Connection c) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery(
                "SELECT lazy_until_ms, lost_until_ms, syncs FROM commit_lease WHERE id = 1")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
        }
    }

    private static String leaseBoot(Connection c) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery("SELECT boot_id FROM commit_lease WHERE id = 1")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static int appendAuditRow(Connection c) throws SQLException {
        return c.createStatement().executeUpdate("INSERT INTO audit_log (at, principal, action, outcome, prev_hash, hash)"
                + " VALUES (1, 'device:x', 'device.clone-reported', 'reported', 'p', 'h')");
    }

    @Test
    void bookkeepingAloneCommitsWithoutFsyncAndEveryOtherWriteWithIt() throws Exception {
        db = open(Optional.of(BOOT_A));
        assertThat(db.writeBookkeeping(LazyCommitsTest::synchronous)).isEqualTo(NORMAL);
        assertThat(db.write(LazyCommitsTest::synchronous)).isEqualTo(FULL);
        assertThat(db.writeBookkeeping(LazyCommitsTest::synchronous)).isEqualTo(NORMAL);
        // Every pooled connection went back as it came, FULL: hold all four of the pool at once.
        List<Integer> seen = db.read(a -> db.read(b -> db.read(c -> db.read(d ->
                List.of(synchronous(a), synchronous(b), synchronous(c), synchronous(d))))));
        assertThat(seen).containsOnly(FULL);
    }

    @Test
    void aBatchWithOneDurableUnitInItIsDurableForEveryUnit() throws Exception {
        db = open(Optional.of(BOOT_A));
        Future<Integer> bookkeeping;
        try (HeldWriter held = new HeldWriter(db)) {
            bookkeeping = held.queueBookkeeping(LazyCommitsTest::synchronous);
            held.queue(LazyCommitsTest::synchronous);
            held.releaseWhenAllQueued();
            assertThat(bookkeeping.get(60, TimeUnit.SECONDS)).isEqualTo(FULL);
        }
        List<Future<Integer>> lazyOnes = new ArrayList<>();
        // The holding write is durable itself and commits alone; the two behind it share a batch.
        try (HeldWriter held = new HeldWriter(db)) {
            lazyOnes.add(held.queueBookkeeping(LazyCommitsTest::synchronous));
            lazyOnes.add(held.queueBookkeeping(LazyCommitsTest::synchronous));
            held.releaseWhenAllQueued();
            for (Future<Integer> f : lazyOnes) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(NORMAL);
            }
        }
    }

    @Test
    void bookkeepingThatAppendsAnAuditRowIsMadeDurableBeforeItReturns() throws Exception {
        db = open(Optional.of(BOOT_A));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        db.bindTo(meters);
        db.writeBookkeeping(c -> null); // takes the lease
        long syncsBefore = db.read(LazyCommitsTest::lease)[2];

        db.writeBookkeeping(c -> c.createStatement().executeUpdate("UPDATE devices SET hostname = hostname"));
        assertThat(db.read(LazyCommitsTest::lease)[2]).as("no audit row: no durable commit after it")
                .isEqualTo(syncsBefore);

        assertThat(db.writeBookkeeping(LazyCommitsTest::appendAuditRow)).isEqualTo(1);
        assertThat(db.read(LazyCommitsTest::lease)[2]).as("an fsynced commit followed the lazy one")
                .isEqualTo(syncsBefore + 1);
        assertThat(meters.get("castellan.db.write.batch").tag("outcome", "committed-lazily").timer().count())
                .isEqualTo(2);
        assertThat(meters.get("castellan.db.write.batch").tag("outcome", "committed").timer().count())
                .isEqualTo(1);
    }

    @Test
    void withoutABootIdNothingIsLazy() throws Exception {
        db = open(Optional.empty());
        assertThat(db.writeBookkeeping(LazyCommitsTest::synchronous)).isEqualTo(FULL);
        assertThat(db.read(LazyCommitsTest::lease)[0]).isZero();
    }

    @Test
    void theLeaseIsDurableBeforeTheFirstLazyCommitAndReleasedByACleanStop() throws Exception {
        db = open(Optional.of(BOOT_A));
        assertThat(db.read(LazyCommitsTest::lease)[0]).as("no lease before any bookkeeping").isZero();
        // Read inside the lazy unit: the lease row was committed (durably) before this batch began.
        long[] during = db.writeBookkeeping(LazyCommitsTest::lease);
        assertThat(during[0]).isEqualTo(clock.millis() + LazyCommits.LEASE.toMillis());
        assertThat(db.read(LazyCommitsTest::leaseBoot)).isEqualTo(BOOT_A);

        // Renewed once less than half of it is left, not before.
        clock.advance(LazyCommits.LEASE.dividedBy(4));
        db.writeBookkeeping(c -> null);
        assertThat(db.read(LazyCommitsTest::lease)[0]).isEqualTo(during[0]);
        clock.advance(LazyCommits.LEASE.dividedBy(3));
        db.writeBookkeeping(c -> null);
        assertThat(db.read(LazyCommitsTest::lease)[0]).isEqualTo(clock.millis() + LazyCommits.LEASE.toMillis());

        db.close();
        db = Database.open(dir); // no lazy commits: just reads the row the stop left
        assertThat(db.read(LazyCommitsTest::lease)[0]).as("released at the stop").isZero();
    }

    @Test
    void aStartOnAnotherBootAfterAnUnreleasedLeaseKeepsWhatMayBeLost() throws Exception {
        Instant leaseEnd = Instant.ofEpochMilli(clock.millis() + 45_000);
        leaveUnreleasedLease(BOOT_A, leaseEnd);

        // The server crashed, the kernel did not: the page cache kept every commit.
        db = open(Optional.of(BOOT_A));
        assertThat(db.bookkeepingLostUntil()).isEmpty();
        db.close();

        // The kernel restarted (a new boot id): commits up to the lease's end may be gone.
        leaveUnreleasedLease(BOOT_A, leaseEnd);
        db = open(Optional.of(BOOT_B));
        assertThat(db.bookkeepingLostUntil()).contains(leaseEnd);
        assertThat(db.read(LazyCommitsTest::leaseBoot)).isEqualTo(BOOT_B);
        db.close();

        // Kept through later clean starts, so a second restart inside the window still refuses replays.
        db = open(Optional.of(BOOT_B));
        assertThat(db.bookkeepingLostUntil()).contains(leaseEnd);
    }

    /** What a run of boot {@code boot} leaves when it is killed while its lease runs to {@code until}. */
    private void leaveUnreleasedLease(String boot, Instant until) {
        try (Database plain = Database.open(dir)) {
            plain.write(c -> Rows.bind(c.prepareStatement("UPDATE commit_lease SET boot_id = ?, lazy_until_ms = ?"),
                    boot, until.toEpochMilli()).executeUpdate());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aDatabaseOpenedByAToolNeitherTakesNorReleasesTheLease() throws Exception {
        Instant leaseEnd = Instant.ofEpochMilli(clock.millis() + 45_000);
        leaveUnreleasedLease(BOOT_A, leaseEnd);
        try (Database tool = Database.open(dir)) { // audit verify, backup: never lazy, never the lease's owner
            assertThat(tool.writeBookkeeping(LazyCommitsTest::synchronous)).isEqualTo(FULL);
        }
        db = open(Optional.of(BOOT_B));
        assertThat(db.bookkeepingLostUntil()).as("the tool's stop did not hide the lost commits").contains(leaseEnd);
    }
}
