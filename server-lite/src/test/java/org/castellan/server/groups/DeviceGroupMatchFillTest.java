package org.castellan.server.groups;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.castellan.server.access.DeviceMatch;
import org.castellan.server.db.Database;
import org.castellan.server.db.DatabaseTarget;
import org.castellan.server.devices.Device;
import org.castellan.server.devices.SqlDeviceStore;
import org.castellan.server.testing.PostgresqlOnly;
import org.castellan.testsupport.PostgresServer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link DeviceGroupMatchFill} on SQLite and on a real PostgreSQL: a saved match is only marked
 * to be filled by its write (no row is written there), then filled a bounded range of devices per
 * write from a committed cursor; a match changed, a device renamed or registered on either side of
 * the cursor, a fill cut off and taken up by another instance (a restart, another node) all end
 * with exactly the devices the access evaluator's own match selects.
 */
@PostgresqlOnly("runs its queries on both backends itself")
class DeviceGroupMatchFillTest {
    private static final Instant AT = Instant.ofEpochMilli(1_790_000_000_000L);
    private static final int DEVICES = 25;

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aSavedMatchIsFilledAFewDevicesPerWriteFromItsCursor(String backend, @TempDir Path dir) throws Exception {
        withDatabase(backend, dir, db -> {
            seed(db);
            SqlDeviceGroupStore groups = new SqlDeviceGroupStore();
            db.write(c -> {
                groups.insert(c, new DeviceGroupRow("g", "g", List.of(), "web-*", null, null), AT);
                groups.insert(c, new DeviceGroupRow("plain", "plain", List.of("d-00"), null, null, null), AT);
                return null;
            });
            assertThat(definition(db, "g").matchFilling()).as("a saved match is marked to be filled").isTrue();
            assertThat(definition(db, "plain").matchFilling()).as("a group without a match has nothing to fill").isFalse();
            assertThat(kept(db, "g")).as("the group's write wrote no match row").isEmpty();

            DeviceGroupMatchFill fill = new DeviceGroupMatchFill(db, 4);
            int writes = 0;
            String before = "";
            boolean more = true;
            while (more) {
                more = fill.fillBatch("g");
                writes++;
                String cursor = cursor(db, "g");
                TreeSet<String> kept = kept(db, "g");
                // Every row so far is right, and no device past the cursor has one.
                assertThat(kept).as("after write %d", writes).isEqualTo(evaluated(db, "g", cursor));
                if (cursor != null) {
                    assertThat(devicesBetween(db, before, cursor)).as("write %d covers a batch", writes).isEqualTo(4);
                    before = cursor;
                }
            }
            // 25 devices, 4 a write: six full writes, then the seventh takes the last one to the end.
            assertThat(writes).isEqualTo(7);
            assertThat(definition(db, "g").matchFilling()).isFalse();
            assertThat(kept(db, "g")).isEqualTo(evaluated(db, "g", null)).hasSize(13);
            assertThat(fill.fillBatch("g")).as("nothing more to fill").isFalse();
            assertThat(fill.fillAll()).as("no group waits").isZero();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void changesMadeWhileAMatchFillsEndAsTheMatchSays(String backend, @TempDir Path dir) throws Exception {
        withDatabase(backend, dir, db -> {
            seed(db);
            SqlDeviceGroupStore groups = new SqlDeviceGroupStore();
            SqlDeviceStore devices = new SqlDeviceStore();
            db.write(c -> {
                groups.insert(c, new DeviceGroupRow("g", "g", List.of(), "web-*", null, null), AT);
                return null;
            });
            new DeviceGroupMatchFill(db, 4).fillAll();
            assertThat(kept(db, "g")).hasSize(13);

            // The match changes: back to the start, the old rows left until each range is refilled.
            db.write(c -> {
                groups.update(c, new DeviceGroupRow("g", "g", List.of(), "db-*", null, null));
                return null;
            });
            assertThat(cursor(db, "g")).isEmpty();
            assertThat(kept(db, "g")).as("the old match's rows stay until refilled").hasSize(13);
            DeviceGroupMatchFill cutOff = new DeviceGroupMatchFill(db, 4);
            cutOff.fillBatch("g");
            cutOff.fillBatch("g");
            String cursor = cursor(db, "g");
            assertThat(cursor).isEqualTo("d-07");

            // Renamed before and after the cursor, registered before and after it.
            db.write(c -> {
                devices.checkedIn(c, "d-01", "web-renamed", "12", "1.0", "admin", null, List.of(), AT);
                devices.checkedIn(c, "d-02", "db-renamed", "12", "1.0", "admin", null, List.of(), AT);
                devices.checkedIn(c, "d-20", "db-twenty", "12", "1.0", "admin", null, List.of(), AT);
                devices.checkedIn(c, "d-21", "web-twentyone", "12", "1.0", "admin", null, List.of(), AT);
                return null;
            });
            insert(db, "d-035", "db-between");
            insert(db, "d-99", "DB-last");
            // A renamed match mid-fill: the cursor starts again.
            DeviceGroupMatchFill other = new DeviceGroupMatchFill(db, 3);
            other.fillBatch("g");
            db.write(c -> {
                groups.update(c, new DeviceGroupRow("g", "g", List.of(), "db-*", "linux", null));
                return null;
            });
            assertThat(cursor(db, "g")).isEmpty();
            // Another instance (a restart, another node) takes the fill up from the committed cursor.
            other.fillAll();
            assertThat(definition(db, "g").matchFilling()).isFalse();
            assertThat(kept(db, "g")).isEqualTo(evaluated(db, "g", null))
                    .contains("d-02", "d-20", "d-035", "d-99").doesNotContain("d-01", "d-21");

            // The match removed: its rows go, a batch at a time, and none is left.
            db.write(c -> {
                groups.update(c, new DeviceGroupRow("g", "g", List.of(), null, null, null));
                return null;
            });
            assertThat(definition(db, "g").matchFilling()).isTrue();
            assertThat(new DeviceGroupMatchFill(db, 5).fillAll()).as("writes").isEqualTo(6);
            assertThat(kept(db, "g")).isEmpty();
            assertThat(definition(db, "g").matchFilling()).isFalse();

            // A renamed group or a changed policy keeps its rows and fills nothing.
            db.write(c -> {
                groups.update(c, new DeviceGroupRow("g", "g", List.of(), "db-*", null, null));
                return null;
            });
            new DeviceGroupMatchFill(db).fillAll();
            db.write(c -> {
                groups.update(c, new DeviceGroupRow("g", "renamed", List.of(), "db-*", null, "p"));
                return null;
            });
            assertThat(definition(db, "g").matchFilling()).isFalse();
            assertThat(kept(db, "g")).isEqualTo(evaluated(db, "g", null)).isNotEmpty();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aDeletedGroupsMembersAndMatchesArePurgedAfterItInBoundedWrites(String backend, @TempDir Path dir) throws Exception {
        withDatabase(backend, dir, db -> {
            seed(db);
            SqlDeviceGroupStore groups = new SqlDeviceGroupStore();
            db.write(c -> {
                groups.insert(c, new DeviceGroupRow("g-web", "web", List.of(), "web-*", null, null), AT);
                groups.insert(c, new DeviceGroupRow("g-all", "all", List.of("d-03"), "*", null, null), AT);
                groups.insert(c, new DeviceGroupRow("g-db", "db", List.of(), "db-*", null, null), AT);
                return null;
            });
            new DeviceGroupMatchFill(db).fillAll();
            TreeSet<String> web = kept(db, "g-web");
            assertThat(kept(db, "g-all")).hasSize(DEVICES);

            // The delete takes the group at once, its explicit members' and its match's rows after.
            db.write(c -> {
                groups.delete(c, "g-all");
                return null;
            });
            boolean exists = db.read(c -> groups.exists(c, "g-all"));
            assertThat(exists).isFalse();
            assertThat(kept(db, "g-all")).as("left for the purge").hasSize(DEVICES);
            assertThat(members(db, "g-all")).as("explicit members left for the purge").containsExactly("d-03");
            // A group deleted while its match fills: what its fill wrote goes too.
            DeviceGroupMatchFill fill = new DeviceGroupMatchFill(db, 10);
            db.write(c -> {
                groups.update(c, new DeviceGroupRow("g-db", "db", List.of(), "*-1?", null, null));
                return null;
            });
            fill.fillBatch("g-db");
            db.write(c -> {
                groups.delete(c, "g-db");
                return null;
            });
            assertThat(fill.fillBatch("g-db")).as("a deleted group fills no more").isFalse();

            // g-all, 10 rows a table a write: its one member and 10 matches, then 10, then 5: three writes.
            // g-db's first write refilled d-00 to d-09 (no "*-1?" there) and left the old match's 7
            // rows after them: one write.
            assertThat(fill.fillAll()).isEqualTo(4);
            assertThat(kept(db, "g-all")).isEmpty();
            assertThat(members(db, "g-all")).isEmpty();
            assertThat(kept(db, "g-db")).isEmpty();
            assertThat(kept(db, "g-web")).as("another group's rows stay").isEqualTo(web).hasSize(13);
            int purges = db.read(c -> {
                try (PreparedStatement st = c.prepareStatement("SELECT COUNT(*) FROM device_group_match_purges");
                     ResultSet rs = st.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            assertThat(purges).as("purges left").isZero();
            assertThat(fill.fillAll()).as("nothing left to do").isZero();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void whileAMatchFillsItsCountAndMembersComeFromTheDevices(String backend, @TempDir Path dir) throws Exception {
        withDatabase(backend, dir, db -> {
            seed(db);
            SqlDeviceGroupStore groups = new SqlDeviceGroupStore();
            db.write(c -> {
                groups.insert(c, new DeviceGroupRow("g", "g", List.of("d-00", "d-24"), "web-*", null, null), AT);
                return null;
            });
            new DeviceGroupMatchFill(db).fillAll();
            db.write(c -> {
                groups.update(c, new DeviceGroupRow("g", "g", List.of(), "db-*", null, null));
                return null;
            });
            DeviceGroupMatchFill fill = new DeviceGroupMatchFill(db, 4);
            fill.fillBatch("g"); // part filled: rows of db-* before the cursor, of web-* after it
            TreeSet<String> dbDevices = evaluated(db, "g", null);
            for (int step = 0; step < 2; step++) {
                SqlDeviceGroupStore.Counts counts = db.read(c -> groups.counts(c, List.of("g"))).get("g");
                assertThat(counts.matched()).as(step == 0 ? "filling" : "filled").isEqualTo(dbDevices.size());
                assertThat(counts.explicit()).isEqualTo(2);
                List<String> matched = new ArrayList<>();
                List<String> all = new ArrayList<>();
                String after = null;
                while (true) {
                    String from = after;
                    List<SqlDeviceGroupStore.Member> page = db.read(c -> groups.memberPage(c, "g", from, 3));
                    if (page.isEmpty()) {
                        break;
                    }
                    page.forEach(m -> {
                        all.add(m.id());
                        if (m.matched()) {
                            matched.add(m.id());
                        }
                    });
                    after = page.get(page.size() - 1).id();
                }
                assertThat(matched).as("matched members").containsExactlyElementsOf(dbDevices);
                TreeSet<String> expected = new TreeSet<>(dbDevices);
                expected.add("d-00");
                expected.add("d-24");
                assertThat(all).as("every member once, in id order").containsExactlyElementsOf(expected);
                fill.fillAll();
            }
        });
    }

    private interface DatabaseWork {
        void run(Database db) throws Exception;
    }

    private static void withDatabase(String backend, Path dir, DatabaseWork work) throws Exception {
        PostgresServer.Database pg = null;
        Database db;
        if (backend.equals("sqlite")) {
            db = Database.open(dir);
        } else {
            pg = PostgresServer.shared().newDatabase("fill"); // skips (fails under CI) without PostgreSQL
            db = Database.open(dir, DatabaseTarget.parse(pg.url()).withPassword(pg.password().toCharArray()));
        }
        try (db) {
            work.run(db);
        } finally {
            if (pg != null) {
                pg.drop();
            }
        }
    }

    /** d-00 to d-24: the even ones web servers (13), the odd ones databases (12). */
    private static void seed(Database db) {
        for (int i = 0; i < DEVICES; i++) {
            insert(db, String.format("d-%02d", i), (i % 2 == 0 ? "web-" : "db-") + i);
        }
    }

    private static void insert(Database db, String id, String hostname) {
        db.write(c -> {
            try (PreparedStatement st = c.prepareStatement(
                    "INSERT INTO devices (id, hostname, os, public_key, registered_at) VALUES (?, ?, 'linux', ?, ?)")) {
                st.setString(1, id);
                st.setString(2, hostname);
                st.setString(3, "key-" + id);
                st.setLong(4, AT.toEpochMilli());
                st.executeUpdate();
            }
            return null;
        });
    }

    private static DeviceGroupRow definition(Database db, String id) {
        return db.read(c -> new SqlDeviceGroupStore().byId(c, id)).orElseThrow();
    }

    private static String cursor(Database db, String id) {
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT match_fill_after FROM device_groups WHERE id = ?")) {
                st.setString(1, id);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }

    private static TreeSet<String> kept(Database db, String group) {
        return rows(db, "device_group_matches", group);
    }

    private static TreeSet<String> members(Database db, String group) {
        return rows(db, "device_group_members", group);
    }

    /** The device ids of {@code table}'s rows for {@code group}. */
    private static TreeSet<String> rows(Database db, String table, String group) {
        return db.read(c -> {
            TreeSet<String> out = new TreeSet<>();
            try (PreparedStatement st = c.prepareStatement("SELECT device_id FROM " + table + " WHERE group_id = ?")) {
                st.setString(1, group);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
    }

    /** The devices up to {@code through} (null: all) the group's match selects, by the evaluator's own test. */
    private static TreeSet<String> evaluated(Database db, String group, String through) {
        DeviceMatch match = definition(db, group).accessMatch();
        return db.read(c -> {
            TreeSet<String> out = new TreeSet<>();
            try (PreparedStatement st = c.prepareStatement("SELECT * FROM devices");
                 ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Device d = SqlDeviceStore.map(rs);
                    if (match != null && match.matches(d.facts()) && (through == null || d.id().compareTo(through) <= 0)) {
                        out.add(d.id());
                    }
                }
            }
            return out;
        });
    }

    private static int devicesBetween(Database db, String after, String through) {
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT COUNT(*) FROM devices WHERE id > ? AND id <= ?")) {
                st.setString(1, after);
                st.setString(2, through);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }
}
