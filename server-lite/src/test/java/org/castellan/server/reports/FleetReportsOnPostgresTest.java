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
import org.castellan.server.access.DeviceMatch;
import org.castellan.server.devices.DeviceScope;
import org.castellan.server.reports.FleetReports.Count;
import org.castellan.server.reports.FleetReports.Cursor;
import org.castellan.server.reports.FleetReports.Report;
import org.castellan.server.testing.OnPostgres;
import org.castellan.testsupport.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link FleetReportsTest} on a real PostgreSQL database (the same seed, then VACUUM ANALYZE):
 * every report lists the same devices, and PostgreSQL's plan for each report query reads the
 * report's index of V73, never a sequential scan of devices, rotations or volumes, with and
 * without a caller's scope and from a deep cursor. The plan is asserted, never a time. Unlike
 * SQLite's, PostgreSQL's plans may sort, but only what the index found (read-not-rotated from a
 * deep cursor sorts its few matching rows; the version counts sort their handful of groups after
 * an index-only scan), so no sort is asserted away here.
 */
@ExtendWith(OnPostgres.class)
class FleetReportsOnPostgresTest extends FleetReportsTest {
    private static final List<String> TABLES = List.of("devices", "rotations", "recovery_unprotected_volumes",
            "audit_log");

    @Override
    Connection connect(Path dir) throws Exception {
        PostgresServer.Database db = OnPostgres.databaseFor(dir);
        return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
    }

    @Override
    void analyze() throws Exception {
        // VACUUM (for the visibility map index-only scans read) runs outside a transaction.
        c.setAutoCommit(true);
        try (Statement st = c.createStatement()) {
            st.execute("VACUUM ANALYZE");
        }
        c.setAutoCommit(false);
    }

    @Override
    @Test
    void everyReportQueryIsASearchOnItsIndexNeverAScanOrASortOfTheFleet() throws Exception {
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
                    for (String table : TABLES) {
                        assertThat(plan).as("plan of %s", report)
                                .noneSatisfy(line -> assertThat(line).containsPattern("Seq Scan on " + table + "\\b"));
                    }
                }
            }
        }
        for (Count count : Count.values()) {
            List<Object> params = new ArrayList<>();
            List<String> plan = plan(FleetReports.countSql(count, DeviceScope.ALL, params), params);
            System.out.println("EXPLAIN of " + count + ":\n  " + String.join("\n  ", plan));
            String index = count == Count.AGENT_VERSIONS ? "devices_agent_version" : "devices_os_version";
            assertThat(plan).as("plan of %s", count).anySatisfy(line -> assertThat(line)
                    .contains("Index Only Scan using " + index));
            assertThat(plan).as("plan of %s", count).noneSatisfy(line -> assertThat(line).contains("Seq Scan on devices"));
        }
    }

    private List<String> plan(String sql, List<Object> params) throws Exception {
        List<String> lines = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("EXPLAIN " + sql)) {
            for (int i = 0; i < params.size(); i++) {
                Object p = params.get(i);
                st.setObject(i + 1, p instanceof Instant t ? t.toEpochMilli() : p);
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    lines.add(rs.getString(1));
                }
            }
        }
        return lines;
    }
}
