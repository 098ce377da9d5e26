package org.castellan.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.castellan.server.audit.AuditQuery;
import org.castellan.server.audit.SqlAuditLog;
import org.castellan.server.devices.DeviceQuery;
import org.castellan.server.devices.DeviceScope;
import org.castellan.server.devices.SqlDeviceStore;
import org.castellan.server.reports.FleetReports;
import org.castellan.server.groups.DeviceGroupMatchFill;
import org.castellan.server.groups.SqlDeviceGroupStore;
import org.castellan.server.groups.SqlUserGroupStore;
import org.castellan.server.jit.JitQuery;
import org.castellan.server.jit.SqlJitStore;
import org.castellan.server.recovery.SqlRecoveryKeyStore;
import org.castellan.server.registration.SqlRegistrationKeyStore;
import org.castellan.server.rotation.SqlRotationStore;
import org.castellan.server.rules.SqlRuleStore;
import org.castellan.server.users.SqlUserStore;
import org.castellan.server.testing.PostgresqlOnly;
import org.castellan.testsupport.PostgresServer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every look-up a reveal, a check-in, a token's authentication and an audit query make searches
 * an index, on SQLite and on PostgreSQL: the stores' own SQL (recorded as the store runs it, so the
 * test cannot drift from the code) is explained against a seeded, analyzed database whose tables
 * have the shape they have at scale (many devices, several rotations and keys per device, a group
 * holding half the fleet, far more audit rows than devices). The plan is asserted, never a time:
 * an index search costs O(log n + rows returned), so what holds here holds at 1 M devices and
 * 100 M audit rows; a scan or a sort of the whole table would not.
 */
@PostgresqlOnly("runs its queries on both backends itself")
class HotQueryPlansTest {
    /** The tables (and the aliases the stores give them) that grow with the fleet or the audit trail. */
    private static final String BIG_TABLES = "devices|rotations|recovery_keys|device_group_members|device_group_matches|m"
            + "|api_tokens|t"
            + "|jit_grants|audit_log|rules|channels|user_groups|device_groups|registration_keys|g|d";
    /** Rules, channels, groups and registration keys: what admins create, seeded well past a page. */
    private static final int ADMIN_ROWS = 2_000;
    private static final Instant NOW = Instant.ofEpochMilli(1_790_000_000_000L);

    /** Device i's id; ids sort as their index. */
    private static String id(int i) {
        return String.format("%08x-0000-4000-8000-%012x", i, i);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void everyHotQuerySearchesAnIndex(String backend, @TempDir Path dir) throws Exception {
        PostgresServer.Database pg = null;
        Database db;
        int devices;
        if (backend.equals("sqlite")) {
            db = Database.open(dir);
            devices = 30_000;
        } else {
            pg = PostgresServer.shared().newDatabase("plans"); // skips (fails under CI) without PostgreSQL
            db = Database.open(dir, DatabaseTarget.parse(pg.url()).withPassword(pg.password().toCharArray()));
            devices = 10_000;
        }
        boolean sqlite = backend.equals("sqlite");
        try (db) {
            db.write(c -> {
                seed(c, devices);
                return null;
            });
            // The pattern groups' rows, filled as a server fills them after a group is saved.
            new DeviceGroupMatchFill(db).fillAll();
            db.write(c -> {
                try (Statement st = c.createStatement()) {
                    st.execute("ANALYZE");
                }
                return null;
            });
            String device = id(devices / 2);
            Map<String, SqlWork<?>> hot = new TreeMap<>();
            SqlDeviceStore deviceStore = new SqlDeviceStore();
            SqlDeviceGroupStore groups = new SqlDeviceGroupStore();
            SqlRotationStore rotations = new SqlRotationStore();
            SqlRecoveryKeyStore keys = new SqlRecoveryKeyStore();
            SqlUserStore users = new SqlUserStore();
            SqlJitStore jit = new SqlJitStore();
            SqlAuditLog audit = new SqlAuditLog(Clock.fixed(NOW, java.time.ZoneOffset.UTC));
            hot.put("device by id", c -> deviceStore.byId(c, device));
            hot.put("device by public key", c -> deviceStore.publicKeyInUse(c, "key-" + (devices / 2)));
            hot.put("explicit groups of a device", c -> groups.explicitGroupsOf(c, device));
            hot.put("committed rotation", c -> rotations.current(c, device));
            hot.put("pending rotations", c -> rotations.pending(c, device));
            hot.put("password history", c -> rotations.history(c, device));
            hot.put("rotation by id", c -> rotations.byId(c, device, "r-1"));
            hot.put("recovery keys of a device", c -> keys.all(c, device));
            hot.put("current recovery keys", c -> keys.current(c, device));
            hot.put("recovery key by key id", c -> keys.byKeyIdPrefix(c, String.format("%08x", devices / 2)));
            hot.put("token authentication", c -> users.principalForToken(c, "hash-7", NOW));
            hot.put("a user's tokens, deep page", c -> users.tokenPage(c, "u-1", "t-00500", 101));
            SqlRuleStore rules = new SqlRuleStore();
            SqlUserGroupStore userGroups = new SqlUserGroupStore();
            SqlRegistrationKeyStore registrationKeys = new SqlRegistrationKeyStore();
            Instant since = NOW.minus(java.time.Duration.ofDays(30));
            Instant middle = NOW.plusMillis(devices / 20);
            hot.put("jit grants, first page", c -> jit.page(c, new JitQuery(null, since, DeviceScope.ALL, null, null, 101)));
            hot.put("jit grants, deep page", c -> jit.page(c,
                    new JitQuery(null, since, DeviceScope.ALL, middle, "j-" + devices / 20, 101)));
            hot.put("jit grants of a device, first page", c -> jit.page(c,
                    new JitQuery(device, null, DeviceScope.ALL, null, null, 101)));
            hot.put("jit grants of a device, deep page", c -> jit.page(c,
                    new JitQuery(device, null, DeviceScope.ALL, middle, "j-1", 101)));
            DeviceScope named = new DeviceScope(false, java.util.Set.of(id(10), id(20), id(devices / 2)), java.util.Set.of(),
                    List.of());
            hot.put("jit grants of named devices (a scoped user)", c -> jit.page(c,
                    new JitQuery(null, since, named, middle, "j-" + devices / 20, 101)));
            // A user reaching devices through an explicit group (half the fleet), two pattern groups
            // (a third of the fleet, and ten devices) and two named devices.
            DeviceScope grouped = new DeviceScope(false, java.util.Set.of(id(10), id(20)), java.util.Set.of("g-1"),
                    java.util.Set.of("g-host1", "g-few"), List.of());
            hot.put("devices of a scoped user, first page", c -> deviceStore.page(c,
                    new DeviceQuery(grouped, null, null, 101)));
            hot.put("devices of a scoped user, deep page", c -> deviceStore.page(c,
                    new DeviceQuery(grouped, null, id(devices / 2), 101)));
            hot.put("devices of a scoped user, one host name", c -> deviceStore.page(c,
                    new DeviceQuery(grouped, "HOST-" + devices / 2, null, 101)));
            // A count reads the scope's devices by key: here a scope of a few devices (a scope of most
            // of the fleet is rightly read by a scan, the cheaper plan for most of a table).
            DeviceScope few = new DeviceScope(false, java.util.Set.of(id(10), id(20)), java.util.Set.of(),
                    java.util.Set.of("g-few"), List.of());
            hot.put("agent versions of a scoped user", c -> new FleetReports().count(c, FleetReports.Count.AGENT_VERSIONS,
                    few));
            hot.put("rules, deep page", c -> rules.page(c, String.format("rule-%05d", ADMIN_ROWS / 2), 101));
            hot.put("channels, deep page", c -> new org.castellan.server.channels.ChannelStore(null, null)
                    .page(c, String.format("ch-%05d", ADMIN_ROWS / 2), 101));
            hot.put("user groups, deep page", c -> userGroups.page(c, String.format("ug-%05d", ADMIN_ROWS / 2), 101));
            hot.put("device groups, deep page", c -> groups.page(c, String.format("dg-%05d", ADMIN_ROWS / 2), 101));
            // A group's members (issue 11): half the fleet listed, a third matched; a page from the middle.
            hot.put("members of a device group, deep page", c -> groups.memberPage(c, "g-1", id(devices / 2), 101));
            hot.put("members of a pattern group, first page", c -> groups.memberPage(c, "g-host1", null, 101));
            // A count reads its groups' index ranges: here a page of groups of a few devices or none (a
            // count of a group of most of the fleet is rightly a scan of the table, the cheaper plan for
            // most of it; either way it costs the group's size, which only a kept counter would not).
            hot.put("member counts of a page of device groups", c -> groups.counts(c, List.of("g-few",
                    String.format("dg-%05d", 1), String.format("dg-%05d", 2))));
            hot.put("registration keys, first page", c -> registrationKeys.page(c, null, null, 101));
            hot.put("registration keys, deep page", c -> registrationKeys.page(c, NOW.plusMillis(ADMIN_ROWS / 2),
                    String.format("rk-%05d", ADMIN_ROWS / 2), 101));
            hot.put("audit of a device", c -> audit.find(c, query(device, null, null, null)));
            hot.put("audit of a device, deep page", c -> audit.find(c, query(device, null, null, 1_000L)));
            hot.put("audit of a device and action", c -> audit.find(c, query(device, null, "password.reveal", null)));
            hot.put("audit of a principal", c -> audit.find(c, query(null, "user:u-1", null, 5_000L)));
            hot.put("audit of an action", c -> audit.find(c, query(null, null, "device.check-in", 5_000L)));
            for (Map.Entry<String, SqlWork<?>> query : hot.entrySet()) {
                List<Recorded> recorded = new ArrayList<>();
                db.read(c -> query.getValue().run(recording(c, recorded)));
                assertThat(recorded).as(query.getKey()).isNotEmpty();
                for (Recorded r : recorded) {
                    List<String> plan = db.read(c -> plan(c, sqlite, r));
                    System.out.println(backend + " plan of " + query.getKey() + ": " + r.sql + " -> " + plan);
                    if (sqlite) {
                        assertThat(plan).as("%s: %s", query.getKey(), r.sql)
                                .anySatisfy(line -> assertThat(line).startsWith("SEARCH"))
                                .noneSatisfy(line -> assertThat(line).matches("SCAN (" + BIG_TABLES + ")\\b.*"));
                        if (query.getKey().startsWith("devices of a scoped user") && r.sql.contains(" UNION ")) {
                            // One range search per group from the cursor, each stopping after a page;
                            // SQLite then sorts each arm's few rows for the merge (the bounded sort below).
                            assertThat(plan).as("%s: an arm per group", query.getKey())
                                    .filteredOn(line -> line.matches("SEARCH m USING COVERING INDEX"
                                            + " sqlite_autoindex_device_group_(members|matches)_1 \\(group_id=\\? AND device_id>\\?\\)"))
                                    .hasSize(3);
                        } else if (query.getKey().startsWith("members of a") && r.sql.contains(" UNION ALL ")) {
                            // One range search per member table from the cursor, each stopping after a
                            // page; the fold per device sorts those few rows (at most two pages), not the group.
                            assertThat(plan).as("%s: an arm per member table", query.getKey())
                                    .filteredOn(line -> line.matches("SEARCH g USING"
                                            + " COVERING INDEX sqlite_autoindex_device_group_(members|matches)_1"
                                            + " \\(group_id=\\? AND device_id>\\?\\)"))
                                    .hasSize(2);
                        } else if (query.getKey().startsWith("audit") || query.getKey().contains("tokens")
                                || query.getKey().contains("page") || query.getKey().equals("committed rotation")) {
                            assertThat(plan).as("%s sorts nothing", query.getKey())
                                    .noneSatisfy(line -> assertThat(line).contains("TEMP B-TREE"));
                        }
                    } else {
                        String text = String.join("\n", plan);
                        assertThat(text).as("%s: %s", query.getKey(), r.sql).contains("Index")
                                .doesNotContainPattern("Seq Scan on (" + BIG_TABLES + ")\\b");
                        // PostgreSQL may sort the few rows of one device's rotations or JIT grants (found
                        // by the device's index) when that is cheaper; a page of a long audit trail, token
                        // list or fleet-wide list it must read in index order.
                        // A scoped user's page merges one bounded arm per group (at most a page each,
                        // each read in index order): both databases sort those few rows, not the scope.
                        if (query.getKey().contains("deep page") || query.getKey().startsWith("members of a")) {
                            // Devices read by an index from a bound (a key, or the cursor), never from the
                            // table's first row: a merge join on devices_pkey without one read half a
                            // million devices for a page half-way through a million (issue 11).
                            for (int i = 0; i < plan.size(); i++) {
                                if (plan.get(i).matches(".*Index (Only )?Scan using devices_pkey on devices.*")) {
                                    assertThat(i + 1 < plan.size() ? plan.get(i + 1) : "").as("%s: %s", query.getKey(), text)
                                            .contains("Index Cond");
                                }
                            }
                        }
                        if ((query.getKey().startsWith("audit") || query.getKey().contains("tokens")
                                || query.getKey().contains("page"))
                                && !query.getKey().startsWith("jit grants of a device")
                                && !query.getKey().startsWith("devices of a scoped user")
                                && !query.getKey().startsWith("members of a")) {
                            assertThat(text).as("%s sorts nothing", query.getKey()).doesNotContain("Sort");
                        }
                    }
                }
            }
        } finally {
            if (pg != null) {
                pg.drop();
            }
        }
    }

    private static AuditQuery query(String device, String principal, String action, Long beforeId) {
        return new AuditQuery(device, principal, action, null, null, null, beforeId, 101);
    }

    /**
     * Devices, three rotations and one recovery key each, half the fleet in one explicit group (a
     * registration key's), 1,000 tokens of one user, a JIT grant per tenth device (a fifth of them on the
     * device asked about), ten audit rows per device spread over principals and actions, 5,000 more for
     * the device asked about, and {@link #ADMIN_ROWS} rules, channels, groups and registration keys.
     */
    private static void seed(Connection c, int n) throws SQLException {
        batch(c, "INSERT INTO devices (id, hostname, os, public_key, registered_at) VALUES (?, ?, 'linux', ?, ?)", n,
                (st, i) -> bind(st, id(i), "host-" + i, "key-" + i, NOW.toEpochMilli()));
        batch(c, "INSERT INTO rotations (id, device_id, account, state, vault_key_id, envelope, escrowed_at,"
                + " committed_at) VALUES (?, ?, 'root', ?, 'v1', '{}', ?, ?)", 3 * n,
                (st, i) -> bind(st, "r-" + (i % 3), id(i / 3), i % 3 == 2 ? "committed" : "superseded",
                        NOW.toEpochMilli() + i, NOW.toEpochMilli() + i));
        batch(c, "INSERT INTO recovery_keys (id, device_id, volume_id, protector_id, key_id_hex, vault_key_id,"
                + " envelope, escrowed_at) VALUES (?, ?, 'C:', ?, ?, 'v1', '{}', ?)", n,
                (st, i) -> bind(st, "k-" + i, id(i), "p-" + i, String.format("%08x%024x", i, i), NOW.toEpochMilli()));
        try (Statement st = c.createStatement()) {
            st.execute("INSERT INTO device_groups (id, name, created_at) VALUES ('g-1', 'enrolled', 0)");
            st.execute("INSERT INTO users (id, name, admin, created_at) VALUES ('u-1', 'ann', 0, 0)");
        }
        batch(c, "INSERT INTO device_group_members (group_id, device_id) VALUES ('g-1', ?)", n / 2,
                (st, i) -> bind(st, id(2 * i)));
        // Pattern groups, their devices filled after the seed (DeviceGroupMatchFill): "host-1*" and "host-2*" about a
        // third of the fleet each, "host-1?" ten devices.
        try (Statement st = c.createStatement()) {
            st.execute("INSERT INTO device_groups (id, name, match_hostname, created_at) VALUES ('g-host1', 'ones', 'host-1*', 0)");
            st.execute("INSERT INTO device_groups (id, name, match_hostname, created_at) VALUES ('g-few', 'few', 'host-1?', 0)");
            st.execute("INSERT INTO device_groups (id, name, match_hostname, created_at) VALUES ('g-host2', 'twos', 'host-2*', 0)");
        }
        batch(c, "INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) VALUES (?, 'u-1', 't', ?, 0)", 1_000,
                (st, i) -> bind(st, String.format("t-%05d", i), "hash-" + i));
        // A JIT grant per tenth device, one a millisecond; the device asked about has many (a busy server).
        batch(c, "INSERT INTO jit_grants (id, device_id, account, duration_seconds, requested_by, requested_at,"
                + " approval_required, channels) VALUES (?, ?, 'root', 3600, 'user:u-1', ?, 0, '[]')", n / 10,
                (st, i) -> bind(st, "j-" + i, id(i % 5 == 0 ? n / 2 : 10 * i), NOW.toEpochMilli() + i));
        batch(c, "INSERT INTO rules (id, name, principals, targets, permissions, require_reason, channels, created_by,"
                + " created_at) VALUES (?, 'r', '[\"user:u-1\"]', '[\"all\"]', '[\"password.read\"]', 0, '[]', 'u-1', 0)",
                ADMIN_ROWS, (st, i) -> bind(st, String.format("rule-%05d", i)));
        batch(c, "INSERT INTO channels (id, name, type, url, secret, created_at) VALUES (?, 'c', 'webhook',"
                + " 'https://hooks.invalid/', '{}', 0)", ADMIN_ROWS, (st, i) -> bind(st, String.format("ch-%05d", i)));
        batch(c, "INSERT INTO user_groups (id, name, created_at) VALUES (?, ?, 0)", ADMIN_ROWS,
                (st, i) -> bind(st, String.format("ug-%05d", i), "user group " + i));
        batch(c, "INSERT INTO device_groups (id, name, created_at) VALUES (?, ?, 0)", ADMIN_ROWS,
                (st, i) -> bind(st, String.format("dg-%05d", i), "device group " + i));
        batch(c, "INSERT INTO registration_keys (id, name, key_hash, created_by, created_at) VALUES (?, 'k', ?, 'u-1', ?)",
                ADMIN_ROWS, (st, i) -> bind(st, String.format("rk-%05d", i), "rk-hash-" + i, NOW.toEpochMilli() + i));
        String[] actions = {"device.check-in", "device.check-in", "device.check-in", "password.escrow", "password.reveal"};
        batch(c, "INSERT INTO audit_log (id, at, principal, action, outcome, device_id, prev_hash, hash)"
                + " VALUES (?, ?, ?, ?, 'granted', ?, 'p', 'h')", 10 * n,
                (st, i) -> bind(st, (long) i + 1, NOW.toEpochMilli() + i, "user:u-" + (i % 50), actions[i % actions.length],
                        id((int) ((i * 7919L) % n))));
        // The device the queries ask about has a long trail (a much-read server): a page of it is a
        // small part of its rows, where only an index in id order avoids reading and sorting them all.
        batch(c, "INSERT INTO audit_log (id, at, principal, action, outcome, device_id, prev_hash, hash)"
                + " VALUES (?, ?, 'user:u-9', ?, 'granted', ?, 'p', 'h')", 5_000,
                (st, i) -> bind(st, 10L * n + i + 1, NOW.toEpochMilli() + 10L * n + i, actions[i % actions.length],
                        id(n / 2)));
    }

    private interface Row {
        void bind(PreparedStatement st, int i) throws SQLException;
    }

    private static void batch(Connection c, String sql, int rows, Row row) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < rows; i++) {
                row.bind(st, i);
                st.addBatch();
                if (i % 5_000 == 4_999) {
                    st.executeBatch();
                }
            }
            st.executeBatch();
        }
    }

    private static void bind(PreparedStatement st, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            st.setObject(i + 1, params[i]);
        }
    }

    private static List<String> plan(Connection c, boolean sqlite, Recorded r) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement((sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + r.sql)) {
            for (Map.Entry<Integer, Object> p : r.params.entrySet()) {
                st.setObject(p.getKey(), p.getValue());
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    lines.add(sqlite ? rs.getString("detail") : rs.getString(1));
                }
            }
        }
        return lines;
    }

    /** A statement the store prepared and ran, with its parameters. */
    private record Recorded(String sql, Map<Integer, Object> params) {}

    /** {@code c}, recording each prepared statement with its parameters as the store runs it. */
    private static Connection recording(Connection c, List<Recorded> out) {
        return (Connection) Proxy.newProxyInstance(HotQueryPlansTest.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    Object result = invoke(method, c, args);
                    if (method.getName().equals("prepareStatement") && args != null && args[0] instanceof String sql) {
                        Recorded r = new Recorded(sql, new TreeMap<>());
                        out.add(r);
                        return statement((PreparedStatement) result, r);
                    }
                    return result;
                });
    }

    private static PreparedStatement statement(PreparedStatement st, Recorded r) {
        return (PreparedStatement) Proxy.newProxyInstance(HotQueryPlansTest.class.getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
                    if (method.getName().startsWith("set") && args != null && args.length >= 2 && args[0] instanceof Integer index) {
                        r.params.put(index, method.getName().equals("setNull") ? null : args[1]);
                    }
                    if (method.getName().equals("executeQuery") && (args == null || args.length == 0)) {
                        // The store sees no row: the seeded rows need not be valid records, only shaped like them.
                        invoke(method, st, args).getClass();
                        return empty();
                    }
                    return invoke(method, st, args);
                });
    }

    private static ResultSet empty() {
        return (ResultSet) Proxy.newProxyInstance(HotQueryPlansTest.class.getClassLoader(), new Class<?>[] {ResultSet.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "next", "wasNull" -> false;
                    case "close" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
