package org.castellan.server.devices;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.castellan.server.CastellanServer;
import org.castellan.server.db.Database;
import org.castellan.server.http.Paging;
import org.castellan.server.testing.AdminApi;
import org.castellan.server.testing.SqliteOnly;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/v1/devices} at a million devices: seeded straight into SQLite in one
 * transaction, then listed over real HTTPS. Pages come from the database by keyset (the query
 * plans show an index range search, never a scan of the table or a sort in a temporary B-tree),
 * and consecutive pages neither repeat nor skip a device, from the first page, from deep inside
 * the fleet, for the admin and for a user whose only rule reaches devices through a host-name
 * pattern group.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@SqliteOnly("a million rows seeded into the SQLite file and its EXPLAIN QUERY PLAN")
class DeviceListingAtScaleTest {
    private static final int DEVICES = 1_000_000;

    private Path dataDir;
    private TestServer server;
    private String scopedToken;
    private String webGroup;
    private String labToken;
    private String labGroup;

    @BeforeAll
    void seedAMillionDevicesAndStart(@TempDir Path dir) throws Exception {
        dataDir = dir;
        String adminToken;
        try (TestServer first = TestServer.start(dataDir)) {
            adminToken = first.adminToken;
        }
        seed(dataDir.resolve(Database.FILE_NAME));
        server = TestServer.attach(CastellanServer.start(TestServer.config(dataDir, TestServer.GENEROUS)), dataDir, adminToken);
        AdminApi api = new AdminApi(server);
        String user = api.user("web-helpdesk", null);
        scopedToken = api.token(user);
        webGroup = api.deviceGroup("web servers", List.of(), Map.of("hostname", "web-*"), null);
        api.rule(Map.of("principals", List.of("user:" + user), "targets", List.of("device-group:" + webGroup),
                "permissions", List.of("password.read")));
        // A pattern that selects 10 devices of the million (web-0999900 to web-0999990).
        String lab = api.user("lab-helpdesk", null);
        labToken = api.token(lab);
        labGroup = api.deviceGroup("lab", List.of(), Map.of("hostname", "WEB-09999*"), null);
        api.rule(Map.of("principals", List.of("user:" + lab), "targets", List.of("device-group:" + labGroup),
                "permissions", List.of("password.read")));
        // The two matches' rows, filled a batch of devices per write (as the server does after a
        // group is saved), so the pages below come from them as on a server that has run a while.
        long started = System.nanoTime();
        int writes = server.server.fillGroupMatches();
        System.out.printf("filled two groups' matches over %,d devices in %,d writes, %.1f s%n", DEVICES, writes,
                (System.nanoTime() - started) / 1e9);
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Ids sort as their index: device i has the i-th smallest id; every tenth is a web server. */
    private static String id(int i) {
        return String.format("%08x-0000-4000-8000-%012x", i, i);
    }

    private static String hostname(int i) {
        return String.format(i % 10 == 0 ? "web-%07d" : "host-%07d", i);
    }

    /**
     * One INSERT ... SELECT over a recursive counter, so SQLite makes the million rows itself
     * (a JDBC batch of a million rows formatted in Java took most of this class's time). The
     * expressions are {@link #id} and {@link #hostname} in SQL: the tests compare what the server
     * lists with what those two methods give, so a difference fails them.
     */
    private static void seed(Path file) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA synchronous = OFF");
            }
            c.setAutoCommit(false);
            long at = 1_790_000_000_000L;
            try (PreparedStatement st = c.prepareStatement("INSERT INTO devices (id, hostname, os, public_key,"
                    + " registered_at, approved_at, last_seen_at)"
                    + " WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?)"
                    + " SELECT printf('%08x-0000-4000-8000-%012x', i, i),"
                    + " CASE WHEN i % 10 = 0 THEN printf('web-%07d', i) ELSE printf('host-%07d', i) END,"
                    + " 'linux', 'seed-key-' || i, ?, ?, ? + i FROM n")) {
                st.setInt(1, DEVICES - 1);
                st.setLong(2, at);
                st.setLong(3, at);
                st.setLong(4, at);
                assertThat(st.executeUpdate()).isEqualTo(DEVICES);
            }
            c.commit();
            try (Statement st = c.createStatement()) {
                st.execute("ANALYZE");
            }
            c.commit();
        }
    }

    @Test
    void everyPageQueryIsAnIndexRangeSearchWithoutATemporarySort() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(Database.FILE_NAME))) {
            for (DeviceQuery q : List.of(
                    new DeviceQuery(DeviceScope.ALL, null, null, 101),
                    new DeviceQuery(DeviceScope.ALL, null, id(499_999), 101),
                    new DeviceQuery(DeviceScope.ALL, "WEB-0500000", null, 101),
                    // A host-name lookup by a scoped user: the scope is one index probe on the found row.
                    new DeviceQuery(scope(Set.of(), Set.of(webGroup)), "WEB-0500000", null, 101))) {
                List<String> plan = plan(c, q);
                System.out.println("EXPLAIN QUERY PLAN of " + q + ": " + plan);
                assertThat(plan).as("plan of %s", q).isNotEmpty()
                        .anySatisfy(line -> assertThat(line).startsWith("SEARCH devices USING").contains("INDEX"))
                        .noneSatisfy(line -> assertThat(line).contains("TEMP B-TREE"))
                        .noneSatisfy(line -> assertThat(line).startsWith("SCAN"));
            }
        }
    }

    /**
     * A non-admin's page starts from the rows naming their devices, one range search per group on
     * {@code (group_id, device_id)} from the cursor, each stopping after a page: never a walk of
     * the fleet (which, for the 10-device lab group, would read all million devices per page).
     * The only sorts are of the few rows the arms return (at most a page per group), for their merge.
     */
    @Test
    void aScopedPageSearchesItsGroupsRowsFromTheCursorNeverTheFleet() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(Database.FILE_NAME))) {
            for (DeviceQuery q : List.of(
                    new DeviceQuery(scope(Set.of(), Set.of(webGroup)), null, null, 101),
                    new DeviceQuery(scope(Set.of(), Set.of(webGroup)), null, id(499_999), 101),
                    new DeviceQuery(scope(Set.of(), Set.of(labGroup)), null, null, 101),
                    new DeviceQuery(new DeviceScope(false, Set.of(id(7), id(8)), Set.of("some-group"),
                            Set.of(webGroup, labGroup), List.of()), null, id(499_999), 101))) {
                List<String> plan = plan(c, q);
                System.out.println("EXPLAIN QUERY PLAN of " + q + ": " + plan);
                assertThat(plan).as("plan of %s", q)
                        .anySatisfy(line -> assertThat(line).matches(
                                "SEARCH m USING (COVERING )?INDEX sqlite_autoindex_device_group_matches_1 \\(group_id=\\? AND device_id>\\?\\)"))
                        // "SCAN a0": reading back one arm's bounded result (a page), never a table; the
                        // only temporary B-trees sort those few rows for the merge of the arms.
                        .noneSatisfy(line -> assertThat(line).matches("SCAN (?!a\\d+$).*"))
                        .noneSatisfy(line -> assertThat(line).contains("TEMP B-TREE").doesNotContain("FOR ORDER BY"))
                        .noneSatisfy(line -> assertThat(line).matches("SEARCH d(evices)? USING INDEX sqlite_autoindex_devices_1 \\(id>\\?\\)"));
            }
        }
    }

    /** Saved groups as the access decision scopes a user reached through them. */
    private static DeviceScope scope(Set<String> explicit, Set<String> matched) {
        return new DeviceScope(false, Set.of(), explicit, matched, List.of());
    }

    private static List<String> plan(Connection c, DeviceQuery q) throws Exception {
        List<Object> params = new ArrayList<>();
        String sql = SqlDeviceStore.pageSql(q, params);
        List<String> lines = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
            for (int i = 0; i < params.size(); i++) {
                st.setObject(i + 1, params.get(i));
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    lines.add(rs.getString("detail"));
                }
            }
        }
        return lines;
    }

    @Test
    void theAdminsPagesRunFromTheFirstDeviceWithoutRepeatsOrGaps() throws Exception {
        assertThat(walk(null, 12, server.adminToken)).containsExactlyElementsOf(ids(IntStream.range(0, 1_200)));
    }

    @Test
    void theFiveThousandthPageIsServedFromItsCursorAndContinuesWithoutRepeatsOrGaps() throws Exception {
        assertThat(walk(Paging.cursor(id(499_999)), 5, server.adminToken))
                .containsExactlyElementsOf(ids(IntStream.range(500_000, 500_500)));
    }

    @Test
    void theLastPageHasNoNextCursor() throws Exception {
        TestServer.Reply last = server.get("/api/v1/devices?limit=100&after=" + Paging.cursor(id(DEVICES - 51)));
        assertThat(last.status()).isEqualTo(200);
        assertThat(idsOf(last)).containsExactlyElementsOf(ids(IntStream.range(DEVICES - 50, DEVICES)));
        assertThat(last.header(Paging.NEXT_CURSOR)).isNull();
    }

    @Test
    void aHostNameLookupFindsTheOneDeviceCaseInsensitively() throws Exception {
        TestServer.Reply reply = server.get("/api/v1/devices?hostname=WEB-0500000");
        assertThat(idsOf(reply)).containsExactly(id(500_000));
        assertThat(reply.json().get(0).get("hostname").asText()).isEqualTo("web-0500000");
    }

    @Test
    void aUserScopedByAHostNamePatternPagesThroughOnlyThoseDevices() throws Exception {
        assertThat(walk(null, 3, scopedToken)).containsExactlyElementsOf(ids(IntStream.range(0, 300).map(i -> i * 10)));
        assertThat(walk(Paging.cursor(id(499_999)), 3, scopedToken))
                .containsExactlyElementsOf(ids(IntStream.range(0, 300).map(i -> 500_000 + i * 10)));
    }

    @Test
    void aUserWhoseGroupSelectsTenOfTheMillionGetsExactlyThoseOnOnePage() throws Exception {
        TestServer.Reply page = server.getWithToken("/api/v1/devices?limit=100", labToken);
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        assertThat(idsOf(page)).containsExactlyElementsOf(ids(IntStream.range(0, 10).map(i -> 999_900 + i * 10)));
        assertThat(page.header(Paging.NEXT_CURSOR)).isNull();
        // A device of the million outside the group stays hidden from a host-name lookup too.
        assertThat(idsOf(server.getWithToken("/api/v1/devices?hostname=web-0500000", labToken))).isEmpty();
        assertThat(idsOf(server.getWithToken("/api/v1/devices?hostname=WEB-0999950", labToken))).containsExactly(id(999_950));
    }

    @Test
    void aCursorThatNoPageGaveIsRefused() throws Exception {
        TestServer.Reply reply = server.get("/api/v1/devices?after=" + id(5));
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error()).isEqualTo("invalid-after");
    }

    /** Follows {@code X-Next-Cursor} for {@code pages} pages of 100 from {@code cursor}. */
    private List<String> walk(String cursor, int pages, String token) throws Exception {
        List<String> seen = new ArrayList<>();
        for (int p = 0; p < pages; p++) {
            TestServer.Reply page = server.getWithToken("/api/v1/devices?limit=100"
                    + (cursor == null ? "" : "&after=" + cursor), token);
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            List<String> ids = idsOf(page);
            assertThat(ids).hasSize(100);
            seen.addAll(ids);
            cursor = page.header(Paging.NEXT_CURSOR);
            assertThat(cursor).isNotNull();
        }
        return seen;
    }

    private static List<String> idsOf(TestServer.Reply reply) {
        List<String> ids = new ArrayList<>();
        for (JsonNode device : reply.json()) {
            ids.add(device.get("id").asText());
        }
        return ids;
    }

    private static List<String> ids(IntStream indexes) {
        return indexes.mapToObj(DeviceListingAtScaleTest::id).toList();
    }
}
