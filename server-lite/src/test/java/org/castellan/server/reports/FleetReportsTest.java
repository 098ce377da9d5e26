package org.castellan.server.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.castellan.server.access.DeviceMatch;
import org.castellan.server.db.Database;
import org.castellan.server.devices.DeviceScope;
import org.castellan.server.reports.FleetReports.Count;
import org.castellan.server.reports.FleetReports.Cursor;
import org.castellan.server.reports.FleetReports.Report;
import org.castellan.server.reports.FleetReports.Row;
import org.castellan.server.reports.FleetReports.Tally;
import org.castellan.testsupport.PostgresServer;
import org.castellan.server.testing.OnPostgres;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet reports on a migrated database seeded with {@value #DEVICES} devices (straight into the
 * server's database, then ANALYZE): each report pages through exactly the expected devices with its
 * keyset cursor, a scope narrows it to the caller's devices, and every query plan is a search on the
 * report's index of V73. On SQLite: no scan of devices or rotations, no temporary sort of the fleet.
 * On PostgreSQL (server-lite's {@code postgresql} execution, after VACUUM ANALYZE): never a
 * sequential scan of devices, rotations or volumes, with and without a caller's scope and from a
 * deep cursor; unlike SQLite's, PostgreSQL's plans may sort, but only what the index found
 * (read-not-rotated from a deep cursor sorts its few matching rows; the version counts sort their
 * handful of groups after an index-only scan), so no sort is asserted away there. The plan is
 * asserted, never a time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FleetReportsTest {
    private static final int DEVICES = 20_000;
    static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    private static final long DAY = Duration.ofDays(1).toMillis();
    private final FleetReports reports = new FleetReports();
    Connection c;

    @BeforeAll
    void seed(@TempDir Path dir) throws Exception {
        try (TestServer first = TestServer.start(dir)) {
            first.adminToken.length(); // migrated, then stopped
        }
        c = connect(dir);
        c.setAutoCommit(false);
        long now = NOW.toEpochMilli();
        try (PreparedStatement d = c.prepareStatement("INSERT INTO devices (id, hostname, os, os_version, agent_version,"
                + " public_key, registered_at, approved_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement r = c.prepareStatement("INSERT INTO rotations (id, device_id, account, state, vault_key_id,"
                     + " envelope, escrowed_at, committed_at, aborted_at, expires_at, read_at, detail)"
                     + " VALUES (?, ?, 'root', ?, 'k', '{}', ?, ?, ?, ?, ?, ?)");
             PreparedStatement u = c.prepareStatement("INSERT INTO recovery_unprotected_volumes (device_id, volumes,"
                     + " reported_at) VALUES (?, ?, ?)")) {
            for (int i = 0; i < DEVICES; i++) {
                String id = id(i);
                d.setString(1, id);
                d.setString(2, hostname(i));
                d.setString(3, i % 2 == 0 ? "linux" : "windows");
                d.setString(4, i % 2 == 0 ? "Debian 12" : "11 24H2");
                d.setString(5, "0.1." + (i % 3));
                d.setString(6, "seed-key-" + i);
                d.setLong(7, now - 400 * DAY);
                d.setLong(8, now - 400 * DAY);
                if (i % 1000 == 999) {
                    d.setNull(9, java.sql.Types.INTEGER); // never checked in: its registration counts
                } else {
                    d.setLong(9, now - (i % 100) * DAY - i);
                }
                d.addBatch();
                long committed = now - 10 * DAY;
                bindRotation(r, "c-" + i, id, "committed", committed - 1, committed, null,
                        now + (i % 60 - 30) * DAY, i % 50 == 0 ? now - (i % 7) * DAY - i : null, null);
                if (i % 97 == 0) {
                    bindRotation(r, "a-" + i, id, "aborted", now - DAY - i, null, now - DAY - i, null, null,
                            "chpasswd exited 1");
                }
                if (i % 3 == 0) {
                    u.setString(1, id);
                    u.setString(2, i % 200 == 0 ? "[\"C:\"]" : "[]"); // so every 600th has one
                    u.setLong(3, now - DAY);
                    u.addBatch();
                }
                if (i % 5000 == 4999) {
                    d.executeBatch();
                    r.executeBatch();
                    u.executeBatch();
                }
            }
            d.executeBatch();
            r.executeBatch();
            u.executeBatch();
        }
        c.commit();
        analyze();
    }

    /** The migrated database of the server that ran in {@code dir}. */
    Connection connect(Path dir) throws Exception {
        if (OnPostgres.active()) {
            PostgresServer.Database db = OnPostgres.databaseFor(dir);
            Connection pg = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
            try (Statement st = pg.createStatement()) {
                // The test cluster commits without waiting for the WAL flush; VACUUM then leaves the
                // seed's pages not all-visible, and the planner rightly avoids index-only scans.
                st.execute("SET synchronous_commit = on");
            }
            return pg;
        }
        return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(Database.FILE_NAME));
    }

    /** Fresh statistics for the planner, as a database that has run a while has. */
    void analyze() throws Exception {
        if (OnPostgres.active()) {
            // VACUUM (for the visibility map index-only scans read) runs outside a transaction.
            c.setAutoCommit(true);
            try (Statement st = c.createStatement()) {
                st.execute("VACUUM ANALYZE");
            }
            c.setAutoCommit(false);
            return;
        }
        try (Statement st = c.createStatement()) {
            st.execute("ANALYZE");
        }
        c.commit();
    }

    private static void bindRotation(PreparedStatement r, String id, String device, String state, long escrowed,
                                     Long committed, Long aborted, Long expires, Long read, String detail)
            throws Exception {
        r.setString(1, id);
        r.setString(2, device);
        r.setString(3, state);
        r.setLong(4, escrowed);
        r.setObject(5, committed);
        r.setObject(6, aborted);
        r.setObject(7, expires);
        r.setObject(8, read);
        r.setString(9, detail);
        r.addBatch();
    }

    @AfterAll
    void close() throws Exception {
        if (c != null) {
            c.close();
        }
    }

    /** Seeded: last seen (i % 100) days and i ms ago; every thousandth never, registered 400 days ago. */
    private static boolean stale(int i, int days) {
        return i % 1000 == 999 || (i % 100) * DAY + i > days * DAY;
    }

    static String id(int i) {
        return String.format("%08x-0000-4000-8000-%012x", i, i);
    }

    private static String hostname(int i) {
        return String.format(i % 10 == 0 ? "web-%07d" : "host-%07d", i);
    }

    /** Every page of a report, walked with its cursor (pages of 37 so that page edges fall everywhere). */
    private List<Row> walk(Report report, DeviceScope scope, Instant threshold) throws Exception {
        List<Row> all = new ArrayList<>();
        Cursor after = null;
        while (true) {
            List<Row> page = reports.page(c, report, scope, threshold, after, 38);
            all.addAll(page.subList(0, Math.min(37, page.size())));
            if (page.size() <= 37) {
                return all;
            }
            after = Cursor.after(page.get(36));
        }
    }

    private static Set<String> ids(IntStream matching) {
        return matching.mapToObj(FleetReportsTest::id).collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<String> deviceIds(List<Row> rows) {
        return rows.stream().map(r -> r.device().id()).toList();
    }

    @Test
    void staleDevicesAreThoseSilentForNDaysLongestSilentFirstWithoutRepeatsOrGaps() throws Exception {
        List<Row> rows = walk(Report.STALE_DEVICES, DeviceScope.ALL, NOW.minus(Duration.ofDays(95)));
        assertThat(deviceIds(rows)).doesNotHaveDuplicates();
        assertThat(new TreeSet<>(deviceIds(rows))).isEqualTo(ids(IntStream.range(0, DEVICES).filter(i -> stale(i, 95))));
        assertThat(rows.get(0).at()).as("never seen, registered 400 days ago: first").isEqualTo(NOW.minus(Duration.ofDays(400)));
        assertThat(rows).isSortedAccordingTo(java.util.Comparator.comparing(Row::at));
    }

    @Test
    void overdueFailingReadAndUnprotectedReportsListExactlyTheirDevices() throws Exception {
        assertThat(new TreeSet<>(deviceIds(walk(Report.OVERDUE_ROTATIONS, DeviceScope.ALL, NOW))))
                .isEqualTo(ids(IntStream.range(0, DEVICES).filter(i -> i % 60 < 30)));
        List<Row> failing = walk(Report.FAILING_ROTATIONS, DeviceScope.ALL, NOW.minus(Duration.ofDays(7)));
        assertThat(new TreeSet<>(deviceIds(failing))).isEqualTo(ids(IntStream.range(0, DEVICES).filter(i -> i % 97 == 0)));
        assertThat(failing.get(0).detail()).isEqualTo("chpasswd exited 1");
        assertThat(failing).as("newest failure first").isSortedAccordingTo(java.util.Comparator.comparing(Row::at).reversed());
        assertThat(walk(Report.FAILING_ROTATIONS, DeviceScope.ALL, NOW.minus(Duration.ofHours(1)))).as("outside the window").isEmpty();
        assertThat(new TreeSet<>(deviceIds(walk(Report.READ_NOT_ROTATED, DeviceScope.ALL, null))))
                .isEqualTo(ids(IntStream.range(0, DEVICES).filter(i -> i % 50 == 0)));
        List<Row> unprotected = walk(Report.UNPROTECTED_VOLUMES, DeviceScope.ALL, null);
        assertThat(new TreeSet<>(deviceIds(unprotected))).isEqualTo(ids(IntStream.range(0, DEVICES).filter(i -> i % 600 == 0)));
        assertThat(unprotected.get(0).detail()).isEqualTo("[\"C:\"]");
    }

    @Test
    void aScopeNarrowsEveryReportToTheCallersDevices() throws Exception {
        DeviceScope web = new DeviceScope(false, Set.of(id(3)), Set.of(), List.of(DeviceMatch.of("web-*", null)));
        assertThat(new TreeSet<>(deviceIds(walk(Report.STALE_DEVICES, web, NOW.minus(Duration.ofDays(85))))))
                .isNotEmpty().isEqualTo(ids(IntStream.range(0, DEVICES).filter(i -> (i % 10 == 0 || i == 3) && stale(i, 85))));
        assertThat(new TreeSet<>(deviceIds(walk(Report.OVERDUE_ROTATIONS, web, NOW))))
                .isEqualTo(ids(IntStream.range(0, DEVICES).filter(i -> (i % 10 == 0 || i == 3) && i % 60 < 30)));
        DeviceScope none = new DeviceScope(false, Set.of(), Set.of(), List.of());
        assertThat(walk(Report.READ_NOT_ROTATED, none, null)).isEmpty();
        List<Tally> versions = reports.count(c, Count.AGENT_VERSIONS, web);
        assertThat(versions.stream().mapToLong(Tally::devices).sum()).isEqualTo(DEVICES / 10 + 1);
        assertThat(reports.count(c, Count.AGENT_VERSIONS, none)).isEmpty();
    }

    @Test
    void countsAreAggregatedPerVersionMostCommonFirst() throws Exception {
        List<Tally> agents = reports.count(c, Count.AGENT_VERSIONS, DeviceScope.ALL);
        assertThat(agents).extracting(Tally::value).containsExactlyInAnyOrder("0.1.0", "0.1.1", "0.1.2");
        assertThat(agents.stream().mapToLong(Tally::devices).sum()).isEqualTo(DEVICES);
        assertThat(agents.get(0).devices()).isGreaterThanOrEqualTo(agents.get(2).devices());
        List<Tally> os = reports.count(c, Count.OS_VERSIONS, DeviceScope.ALL);
        assertThat(os).extracting(t -> t.value() + " " + t.detail()).containsExactlyInAnyOrder("linux Debian 12",
                "windows 11 24H2");
    }

    @Test
    void everyReportQueryIsASearchOnItsIndexNeverAScanOrASortOfTheFleet() throws Exception {
        if (OnPostgres.active()) {
            everyPostgresqlPlanReadsItsIndexNeverASequentialScan();
            return;
        }
        DeviceScope web = new DeviceScope(false, Set.of(id(3)), Set.of("g"), List.of(DeviceMatch.of("web-*", null)));
        Cursor deep = new Cursor(NOW.minus(Duration.ofDays(50)).toEpochMilli(), id(10_000));
        for (Report report : Report.values()) {
            for (DeviceScope scope : List.of(DeviceScope.ALL, web)) {
                for (Cursor after : new Cursor[] {null, deep}) {
                    List<Object> params = new ArrayList<>();
                    String sql = FleetReports.sql(report, scope, NOW.minus(Duration.ofDays(30)), after, 51, params);
                    List<String> plan = plan(sql, params);
                    System.out.println("EXPLAIN QUERY PLAN of " + report + (scope.all() ? "" : " (scoped)")
                            + (after == null ? "" : " (deep)") + ": " + plan);
                    String index = switch (report) {
                        case STALE_DEVICES -> "devices_last_contact";
                        case OVERDUE_ROTATIONS -> "rotations_committed_expiry";
                        case FAILING_ROTATIONS -> "rotations_aborted_at";
                        case READ_NOT_ROTATED -> "rotations_read_unrotated";
                        case UNPROTECTED_VOLUMES -> "recovery_unprotected_some";
                    };
                    assertThat(plan).as("plan of %s", report).anySatisfy(line -> assertThat(line).contains(index))
                            .noneSatisfy(line -> assertThat(line).contains("TEMP B-TREE"))
                            .noneSatisfy(line -> assertThat(line).matches("SCAN (d|r|u|devices|rotations)( .*)?")
                                    .doesNotContain("USING INDEX " + index).doesNotContain("COVERING INDEX " + index));
                }
            }
        }
        everyFleetCountReadsTheKeptCountsNeverTheDevices();
    }

    /** The admin's version reports read the few rows the triggers keep (V91), on both databases. */
    private void everyFleetCountReadsTheKeptCountsNeverTheDevices() throws Exception {
        for (Count count : Count.values()) {
            List<String> plan = plan(FleetReports.keptCountSql(count), List.of());
            System.out.println("plan of " + count + ":\n  " + String.join("\n  ", plan));
            String table = count == Count.AGENT_VERSIONS ? "device_agent_version_counts" : "device_os_version_counts";
            assertThat(plan).as("plan of %s", count).anySatisfy(line -> assertThat(line).contains(table))
                    .noneSatisfy(line -> assertThat(line).containsPattern("\\bdevices(_|\\b)"));
        }
    }

    @Test
    void theKeptCountsFollowEveryChangeToTheDevicesAsAGroupByWould() throws Exception {
        try (Statement st = c.createStatement()) {
            // registrations with and without versions, a deleted registration, upgrades, an OS
            // update, deletions (soft and hard), an undeletion, an unchanged check-in
            st.executeUpdate("INSERT INTO devices (id, hostname, os, os_version, agent_version, public_key, registered_at)"
                    + " VALUES ('kc-1', 'kc-1', 'macos', NULL, NULL, 'kc-key-1', 1),"
                    + " ('kc-2', 'kc-2', 'macos', '15.1', '0.2.0', 'kc-key-2', 1)");
            st.executeUpdate("INSERT INTO devices (id, hostname, os, os_version, agent_version, public_key, registered_at,"
                    + " deleted_at) VALUES ('kc-3', 'kc-3', 'linux', 'Debian 13', '0.9.9', 'kc-key-3', 1, 2)");
            st.executeUpdate("UPDATE devices SET agent_version = '0.2.0' WHERE id IN ('" + id(0) + "', '" + id(1) + "', 'kc-1')");
            st.executeUpdate("UPDATE devices SET os_version = '15.2' WHERE id = 'kc-2'");
            st.executeUpdate("UPDATE devices SET deleted_at = 5 WHERE id IN ('" + id(2) + "', '" + id(4) + "')");
            st.executeUpdate("UPDATE devices SET deleted_at = NULL WHERE id = 'kc-3'");
            st.executeUpdate("UPDATE devices SET agent_version = agent_version, last_seen_at = 7 WHERE id = '" + id(5) + "'");
            st.executeUpdate("UPDATE devices SET os_version = NULL, deleted_at = 9 WHERE id = '" + id(6) + "'");
            st.executeUpdate("DELETE FROM devices WHERE id = 'kc-1'");
            for (Count count : Count.values()) {
                List<Object> params = new ArrayList<>();
                List<String> grouped = new ArrayList<>();
                try (PreparedStatement q = c.prepareStatement(FleetReports.countSql(count, DeviceScope.ALL, params));
                     ResultSet rs = q.executeQuery()) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        grouped.add(columns == 2 ? rs.getString(1) + " " + rs.getLong(2)
                                : rs.getString(1) + "/" + rs.getString(2) + " " + rs.getLong(3));
                    }
                }
                List<String> kept = reports.count(c, count, DeviceScope.ALL).stream().map(t -> count == Count.AGENT_VERSIONS
                        ? t.value() + " " + t.devices() : t.value() + "/" + t.detail() + " " + t.devices()).toList();
                assertThat(kept).as("kept %s", count).containsExactlyElementsOf(grouped);
                // kc-1 (upgraded, then purged) is gone, kc-3 came back, kc-2 moved to 15.2
                assertThat(kept).as("kept %s", count).containsAll(count == Count.AGENT_VERSIONS
                        ? List.of("0.2.0 3", "0.9.9 1") : List.of("macos/15.2 1", "linux/Debian 13 1"))
                        .noneSatisfy(line -> assertThat(line).startsWith("macos/null"));
            }
        } finally {
            c.rollback();
        }
    }

    /** The plan's lines: SQLite's EXPLAIN QUERY PLAN details, or PostgreSQL's EXPLAIN text. */
    private List<String> plan(String sql, List<Object> params) throws Exception {
        boolean postgresql = OnPostgres.active();
        List<String> lines = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement((postgresql ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + sql)) {
            for (int i = 0; i < params.size(); i++) {
                Object p = params.get(i);
                st.setObject(i + 1, p instanceof Instant t ? t.toEpochMilli() : p);
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    lines.add(postgresql ? rs.getString(1) : rs.getString("detail"));
                }
            }
        }
        return lines;
    }

    /** Tables no PostgreSQL plan of a report may read sequentially. */
    private static final List<String> POSTGRESQL_UNSCANNED = List.of("devices", "rotations",
            "recovery_unprotected_volumes", "audit_log");

    private void everyPostgresqlPlanReadsItsIndexNeverASequentialScan() throws Exception {
        DeviceScope web = new DeviceScope(false, Set.of(id(3)), Set.of("g"), List.of(DeviceMatch.of("web-*", null)));
        Cursor deep = new Cursor(NOW.minus(Duration.ofDays(50)).toEpochMilli(), id(10_000));
        for (Report report : Report.values()) {
            for (DeviceScope scope : List.of(DeviceScope.ALL, web)) {
                for (Cursor after : new Cursor[] {null, deep}) {
                    List<Object> params = new ArrayList<>();
                    String sql = FleetReports.sql(report, scope, NOW.minus(Duration.ofDays(30)), after, 51, params);
                    List<String> plan = plan(sql, params);
                    System.out.println("EXPLAIN of " + report + (scope.all() ? "" : " (scoped)")
                            + (after == null ? "" : " (deep)") + ":\n  " + String.join("\n  ", plan));
                    String index = switch (report) {
                        case STALE_DEVICES -> "devices_last_contact";
                        case OVERDUE_ROTATIONS -> "rotations_committed_expiry";
                        case FAILING_ROTATIONS -> "rotations_aborted_at";
                        case READ_NOT_ROTATED -> "rotations_read_unrotated";
                        case UNPROTECTED_VOLUMES -> "recovery_unprotected_some";
                    };
                    assertThat(plan).as("plan of %s", report).anySatisfy(line -> assertThat(line)
                            .containsPattern("(Index (Only )?Scan( Backward)? using|Bitmap Index Scan on) " + index + "\\b"));
                    for (String table : POSTGRESQL_UNSCANNED) {
                        assertThat(plan).as("plan of %s", report)
                                .noneSatisfy(line -> assertThat(line).containsPattern("Seq Scan on " + table + "\\b"));
                    }
                }
            }
        }
        everyFleetCountReadsTheKeptCountsNeverTheDevices();
    }
}
