package org.castellan.server.devices;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.castellan.server.access.DeviceMatch;
import org.castellan.server.db.Database;
import org.castellan.server.db.DatabaseTarget;
import org.castellan.server.testing.PostgresqlOnly;
import org.castellan.testsupport.PostgresServer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The keyset page query of {@link SqlDeviceStore} on SQLite and on a real PostgreSQL (whose text
 * collation, case-sensitive LIKE and escape rules differ): walking the fleet page by page returns
 * every device once, in the database's own id order; a host-name lookup folds case; a host-name
 * pattern matches case-insensitively and takes {@code _} and {@code %} in a name literally.
 */
@PostgresqlOnly("runs its queries on both backends itself")
class DevicePagingOnBothDatabasesTest {
    private static final List<String> HOSTNAMES = List.of("Web-01", "web-02", "WEB-03", "web_1a", "webx1b", "web%2c",
            "db-01", "DB-02", "mail", "Web-04", "web-05", "printer-7", "web_1z", "host-a", "host-b", "host-c", "x");

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void pagesWalkTheFleetOnceAndMatchCaseInsensitivelyAndLiterally(String backend, @TempDir Path dir) throws Exception {
        PostgresServer.Database pg = null;
        Database db;
        if (backend.equals("sqlite")) {
            db = Database.open(dir);
        } else {
            pg = PostgresServer.shared().newDatabase("paging"); // skips (fails under CI) without PostgreSQL
            db = Database.open(dir, DatabaseTarget.parse(pg.url()).withPassword(pg.password().toCharArray()));
        }
        try (db) {
            db.write(c -> {
                try (PreparedStatement st = c.prepareStatement("INSERT INTO devices (id, hostname, os, public_key,"
                        + " registered_at) VALUES (?, ?, ?, ?, ?)")) {
                    for (int i = 0; i < HOSTNAMES.size(); i++) {
                        // Mixed case and punctuation in ids: a collation that ignores either would show here.
                        st.setString(1, (i % 2 == 0 ? "A-" : "a_") + (char) ('z' - i) + "-" + i);
                        st.setString(2, HOSTNAMES.get(i));
                        st.setString(3, i % 3 == 0 ? "windows" : "linux");
                        st.setString(4, "key-" + i);
                        st.setLong(5, 1_790_000_000_000L);
                        st.addBatch();
                    }
                    st.executeBatch();
                }
                return null;
            });
            SqlDeviceStore store = new SqlDeviceStore();
            List<String> inOrder = db.read(c -> {
                List<String> ids = new ArrayList<>();
                try (PreparedStatement st = c.prepareStatement("SELECT id FROM devices ORDER BY id");
                     ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
                return ids;
            });

            for (int limit : new int[] {1, 4, 5, 100}) {
                assertThat(walk(db, store, DeviceScope.ALL, limit)).as("%s, pages of %d", backend, limit)
                        .containsExactlyElementsOf(inOrder);
            }

            assertThat(hostnames(db, store, new DeviceQuery(DeviceScope.ALL, "web-03", null, 10))).containsExactly("WEB-03");
            assertThat(hostnames(db, store, new DeviceQuery(DeviceScope.ALL, "DB-01", null, 10))).containsExactly("db-01");

            DeviceScope web = scope(DeviceMatch.of("web-*", null));
            assertThat(new HashSet<>(hostnamesOf(db, walk(db, store, web, 2))))
                    .isEqualTo(Set.of("Web-01", "web-02", "WEB-03", "Web-04", "web-05"));
            // '_' in a pattern is a literal underscore, not LIKE's any-one-character.
            assertThat(new HashSet<>(hostnamesOf(db, walk(db, store, scope(DeviceMatch.of("web_1*", null)), 3))))
                    .isEqualTo(Set.of("web_1a", "web_1z"));
            // '?' is one character; '%' stored in a name is not a wildcard once escaped.
            assertThat(new HashSet<>(hostnamesOf(db, walk(db, store, scope(DeviceMatch.of("web?1?", null)), 3))))
                    .isEqualTo(Set.of("web_1a", "webx1b", "web_1z"));
            // A pattern and an OS together; and devices named by id beside a match.
            assertThat(new HashSet<>(hostnamesOf(db, walk(db, store, scope(DeviceMatch.of("WEB-0*", "Windows")), 2))))
                    .isEqualTo(Set.of("Web-01", "Web-04"));
            DeviceScope named = new DeviceScope(false, Set.of(inOrder.get(0), inOrder.get(1)), Set.of(),
                    List.of(DeviceMatch.of("host-*", null)));
            List<String> namedIds = walk(db, store, named, 2);
            assertThat(namedIds).containsAll(List.of(inOrder.get(0), inOrder.get(1)));
            assertThat(new HashSet<>(hostnamesOf(db, namedIds))).containsAll(Set.of("host-a", "host-b", "host-c"));
            assertThat(namedIds).doesNotHaveDuplicates().isSubsetOf(inOrder);

            // A tombstone (deleted, secrets kept) leaves the pages, the console's search and the counts;
            // only a query for deleted devices returns it.
            String gone = db.read(c -> store.page(c, new DeviceQuery(DeviceScope.ALL, "web-02", null, 1))).get(0).id();
            long before = db.read(c -> store.countByLastSeen(c, java.time.Instant.ofEpochMilli(1_790_000_000_000L)))
                    .values().stream().mapToLong(Long::longValue).sum();
            db.write(c -> {
                store.markDeleted(c, gone, java.time.Instant.ofEpochMilli(1_790_000_100_000L));
                return null;
            });
            assertThat(walk(db, store, DeviceScope.ALL, 4)).as(backend).doesNotContain(gone).hasSize(inOrder.size() - 1);
            assertThat(hostnames(db, store, new DeviceQuery(DeviceScope.ALL, "web-02", null, 10))).isEmpty();
            List<Device> found = db.read(c -> store.searchPrefix(c, "web-0", null, 50));
            assertThat(found.stream().map(Device::id).toList()).doesNotContain(gone).hasSize(4);
            List<Device> tombstones = db.read(c -> store.page(c, new DeviceQuery(DeviceScope.ALL, "WEB-02", null, 10, true)));
            assertThat(tombstones.stream().map(Device::id).toList()).containsExactly(gone);
            assertThat(db.read(c -> store.countByLastSeen(c, java.time.Instant.ofEpochMilli(1_790_000_000_000L)))
                    .values().stream().mapToLong(Long::longValue).sum()).isEqualTo(before - 1);
        } finally {
            if (pg != null) {
                pg.drop();
            }
        }
    }

    private static DeviceScope scope(DeviceMatch match) {
        return new DeviceScope(false, Set.of(), Set.of(), List.of(match));
    }

    /** Every id of {@code scope}, page by page, each page after the last id of the one before. */
    private static List<String> walk(Database db, SqlDeviceStore store, DeviceScope scope, int limit) {
        List<String> ids = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages < 1_000; pages++) {
            String from = after;
            List<Device> page = db.read(c -> store.page(c, new DeviceQuery(scope, null, from, limit)));
            assertThat(page.size()).isLessThanOrEqualTo(limit);
            if (page.isEmpty()) {
                return ids;
            }
            page.forEach(d -> ids.add(d.id()));
            after = page.get(page.size() - 1).id();
        }
        throw new AssertionError("paging did not end");
    }

    private static List<String> hostnames(Database db, SqlDeviceStore store, DeviceQuery q) {
        return db.read(c -> store.page(c, q)).stream().map(Device::hostname).toList();
    }

    private static List<String> hostnamesOf(Database db, List<String> ids) {
        SqlDeviceStore store = new SqlDeviceStore();
        return db.read(c -> {
            List<String> out = new ArrayList<>();
            for (String id : ids) {
                out.add(store.byId(c, id).orElseThrow().hostname());
            }
            return out;
        });
    }
}
