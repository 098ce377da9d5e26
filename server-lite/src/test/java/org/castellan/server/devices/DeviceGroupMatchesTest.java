package org.castellan.server.devices;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.castellan.server.db.Database;
import org.castellan.server.db.DatabaseTarget;
import org.castellan.server.groups.DeviceGroupMatchFill;
import org.castellan.server.groups.DeviceGroupRow;
import org.castellan.server.groups.SqlDeviceGroupStore;
import org.castellan.server.testing.PostgresqlOnly;
import org.castellan.testsupport.PostgresServer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code device_group_matches} (V93), the devices each saved group's match selects, kept by the
 * triggers of V94 and V97 and the fill of a saved match on SQLite and on a real PostgreSQL: after every kind of change (a device
 * registered before or after the group, a host name or OS changed by a check-in, a group's match
 * edited, a group renamed, deleted, a device tombstoned, purged) the rows are exactly the devices
 * the access evaluator's own {@link org.castellan.server.access.DeviceMatch#matches} selects, case
 * folded, with {@code _} and {@code %} in names literal. A scope made of such groups pages over
 * them in id order, each device once, live devices or tombstones as asked.
 */
@PostgresqlOnly("runs its queries on both backends itself")
class DeviceGroupMatchesTest {
    private static final Instant AT = Instant.ofEpochMilli(1_790_000_000_000L);

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void theKeptRowsAreWhatTheMatchSelectsAfterEveryChange(String backend, @TempDir Path dir) throws Exception {
        PostgresServer.Database pg = null;
        Database db;
        if (backend.equals("sqlite")) {
            db = Database.open(dir);
        } else {
            pg = PostgresServer.shared().newDatabase("matches"); // skips (fails under CI) without PostgreSQL
            db = Database.open(dir, DatabaseTarget.parse(pg.url()).withPassword(pg.password().toCharArray()));
        }
        try (db) {
            SqlDeviceStore devices = new SqlDeviceStore();
            SqlDeviceGroupStore groups = new SqlDeviceGroupStore();
            // Devices registered before the groups exist: the group's insert trigger finds them.
            insert(db, "d-01", "Web-01", "windows");
            insert(db, "d-02", "web-02", "linux");
            insert(db, "d-03", "web_1a", "linux");
            insert(db, "d-04", "webx1b", "macos");
            insert(db, "d-05", "web%2c", "linux");
            insert(db, "d-06", "db-01", "linux");
            db.write(c -> {
                groups.insert(c, group("g-web", "web-*", null), AT);
                groups.insert(c, group("g-under", "web_1*", null), AT);
                groups.insert(c, group("g-one", "web?1?", null), AT);
                groups.insert(c, group("g-winweb", "WEB-0*", "windows"), AT);
                groups.insert(c, group("g-linux", null, "linux"), AT);
                groups.insert(c, new DeviceGroupRow("g-explicit", "g-explicit", List.of("d-06"), null, null, null), AT);
                return null;
            });
            assertKeptAsEvaluated(db, backend, "groups created over existing devices");
            assertThat(kept(db).get("g-under")).as("'_' is literal").containsExactly("d-03");
            assertThat(kept(db).get("g-one")).as("'?' is one character").containsExactlyInAnyOrder("d-03", "d-04");
            assertThat(kept(db).get("g-linux")).containsExactlyInAnyOrder("d-02", "d-03", "d-05", "d-06");
            assertThat(kept(db)).as("explicit members are not matches").doesNotContainKey("g-explicit");

            // Devices registered after: the device's insert trigger.
            insert(db, "d-07", "WEB-07", "windows");
            insert(db, "d-08", "web_1z", "linux");
            insert(db, "d-09", "printer", "linux");
            assertKeptAsEvaluated(db, backend, "devices registered after the groups");

            // A check-in renaming a device moves it between groups; one reporting the same name changes nothing.
            db.write(c -> {
                devices.checkedIn(c, "d-09", "web-09", "12", "1.0", "admin", null, List.of(), AT);
                devices.checkedIn(c, "d-01", "mail", "11", "1.0", "admin", null, List.of(), AT);
                devices.checkedIn(c, "d-02", "web-02", "13", "1.1", "admin", null, List.of(), AT);
                return null;
            });
            assertKeptAsEvaluated(db, backend, "renamed at check-in");
            assertThat(kept(db).get("g-web")).contains("d-09").doesNotContain("d-01");
            db.write(c -> {
                try (PreparedStatement st = c.prepareStatement("UPDATE devices SET os = 'windows' WHERE id = 'd-02'")) {
                    st.executeUpdate();
                }
                return null;
            });
            assertKeptAsEvaluated(db, backend, "OS changed");

            // A group's match edited, renamed only, then its match removed (explicit members only).
            db.write(c -> {
                groups.update(c, group("g-web", "*-0?", "linux"));
                groups.update(c, new DeviceGroupRow("g-under", "renamed", List.of(), "web_1*", null, "some-policy"));
                groups.update(c, new DeviceGroupRow("g-one", "g-one", List.of("d-04"), null, null, null));
                return null;
            });
            assertKeptAsEvaluated(db, backend, "matches edited");
            assertThat(kept(db)).doesNotContainKey("g-one");
            assertThat(kept(db).get("g-under")).containsExactlyInAnyOrder("d-03", "d-08");

            // Paging a scope of saved matches, explicit groups and named devices: id order, each device once.
            DeviceScope scope = new DeviceScope(false, Set.of("d-05", "d-07"), Set.of("g-explicit"),
                    Set.of("g-linux", "g-under"), List.of());
            TreeSet<String> expected = new TreeSet<>(List.of("d-05", "d-07", "d-06"));
            expected.addAll(kept(db).get("g-linux"));
            expected.addAll(kept(db).get("g-under"));
            for (int limit : new int[] {1, 2, 3, 100}) {
                assertThat(walk(db, devices, scope, limit, false)).as("%s, pages of %d", backend, limit)
                        .containsExactlyElementsOf(expected);
            }
            // The row-by-row form (a host-name lookup) and the set form (a count) agree with the pages.
            assertThat(idsWhere(db, scope, false)).as("row-by-row scope").containsExactlyElementsOf(expected);
            assertThat(idsWhere(db, scope, true)).as("set scope").containsExactlyElementsOf(expected);

            // A tombstone keeps its rows but leaves the live pages; asked for tombstones, only it comes.
            db.write(c -> {
                devices.markDeleted(c, "d-03", AT);
                return null;
            });
            assertKeptAsEvaluated(db, backend, "tombstoned");
            expected.remove("d-03");
            assertThat(walk(db, devices, scope, 2, false)).containsExactlyElementsOf(expected);
            assertThat(walk(db, devices, scope, 2, true)).containsExactly("d-03");

            // Purged device and deleted group: the device's rows go with it (foreign key), the group's after it (V98).
            db.write(c -> {
                devices.purge(c, "d-03");
                groups.delete(c, "g-linux");
                return null;
            });
            assertKeptAsEvaluated(db, backend, "purged and deleted");
            assertThat(kept(db)).doesNotContainKey("g-linux");
            assertThat(kept(db).values().stream().flatMap(Set::stream)).doesNotContain("d-03");
        } finally {
            if (pg != null) {
                pg.drop();
            }
        }
    }

    private static DeviceGroupRow group(String id, String hostname, String os) {
        return new DeviceGroupRow(id, id, List.of(), hostname, os, null);
    }

    private static void insert(Database db, String id, String hostname, String os) {
        db.write(c -> {
            try (PreparedStatement st = c.prepareStatement(
                    "INSERT INTO devices (id, hostname, os, public_key, registered_at) VALUES (?, ?, ?, ?, ?)")) {
                st.setString(1, id);
                st.setString(2, hostname);
                st.setString(3, os);
                st.setString(4, "key-" + id);
                st.setLong(5, AT.toEpochMilli());
                st.executeUpdate();
            }
            return null;
        });
    }

    /**
     * The kept rows, once the groups' fill has run (a saved or changed match is filled after its
     * write, by DeviceGroupMatchFill: here in writes of two devices), equal, group by group, what
     * the access evaluator's match says of every device.
     */
    private static void assertKeptAsEvaluated(Database db, String backend, String after) {
        new DeviceGroupMatchFill(db, 2).fillAll();
        Map<String, Set<String>> evaluated = db.read(c -> {
            Map<String, Set<String>> out = new TreeMap<>();
            List<Device> all = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement("SELECT * FROM devices");
                 ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    all.add(SqlDeviceStore.map(rs));
                }
            }
            for (DeviceGroupRow g : new SqlDeviceGroupStore().definitions(c)) {
                if (g.accessMatch() != null) {
                    for (Device d : all) {
                        if (g.accessMatch().matches(d.facts())) {
                            out.computeIfAbsent(g.id(), k -> new TreeSet<>()).add(d.id());
                        }
                    }
                }
            }
            return out;
        });
        assertThat(kept(db)).as("%s: %s", backend, after).isEqualTo(evaluated);
    }

    private static Map<String, Set<String>> kept(Database db) {
        return db.read(c -> {
            Map<String, Set<String>> out = new TreeMap<>();
            try (PreparedStatement st = c.prepareStatement("SELECT group_id, device_id FROM device_group_matches");
                 ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new TreeSet<>()).add(rs.getString(2));
                }
            }
            return out;
        });
    }

    private static List<String> walk(Database db, SqlDeviceStore store, DeviceScope scope, int limit, boolean deleted) {
        List<String> ids = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages < 100; pages++) {
            String from = after;
            List<Device> page = db.read(c -> store.page(c, new DeviceQuery(scope, null, from, limit, deleted)));
            assertThat(page.size()).isLessThanOrEqualTo(limit);
            if (page.isEmpty()) {
                return ids;
            }
            page.forEach(d -> ids.add(d.id()));
            after = page.get(page.size() - 1).id();
        }
        throw new AssertionError("paging did not end");
    }

    private static List<String> idsWhere(Database db, DeviceScope scope, boolean asSet) {
        return db.read(c -> {
            List<Object> params = new ArrayList<>();
            String where = asSet ? SqlDeviceStore.scopeSetSql(scope, "d.", params) : SqlDeviceStore.scopeSql(scope, "d.", params);
            List<String> out = new ArrayList<>();
            try (PreparedStatement st = bind(c, "SELECT d.id FROM devices d WHERE d.deleted_at IS NULL AND " + where
                    + " ORDER BY d.id", params);
                 ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    private static PreparedStatement bind(Connection c, String sql, List<Object> params) throws java.sql.SQLException {
        PreparedStatement st = c.prepareStatement(sql);
        for (int i = 0; i < params.size(); i++) {
            st.setObject(i + 1, params.get(i));
        }
        return st;
    }
}
