package org.castellan.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.castellan.server.testing.AdminApi;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A device group's match is filled after its write, in batches (issue 11: at a million devices
 * the fill was one write of over a second that held every check-in and reveal). Until its rows
 * are done they may lack devices or hold an earlier match's, and nothing a caller sees may come
 * from them: a scoped user's device list, the group's matched count and its member pages test the
 * match on the devices themselves, over real HTTPS on the real database (SQLite, and PostgreSQL in
 * its pass). Here the group's match is changed in the database, as by an admin, and the stale rows
 * of the old match are left as a fill not yet run leaves them.
 */
class DeviceGroupMatchFillingTest {

    @Test
    void whileAMatchFillsEveryReaderTestsTheMatchNotTheRowsLeftFromTheOldOne(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            AdminApi admin = new AdminApi(server);
            List<String> web = new ArrayList<>();
            List<String> db = new ArrayList<>();
            for (int i = 1; i <= 4; i++) {
                web.add(agent(server, "web-" + i));
                db.add(agent(server, "db-" + i));
            }
            String group = admin.deviceGroup("servers", List.of(), Map.of("hostname", "web-*"), null);
            String user = admin.user("helpdesk", null);
            String token = admin.token(user);
            admin.rule(Map.of("principals", List.of("user:" + user), "targets", List.of("device-group:" + group),
                    "permissions", List.of("password.read")));
            server.server.fillGroupMatches();
            assertThat(filling(server, group)).as("filled").isFalse();
            assertThat(keptRows(server, group)).containsExactlyElementsOf(new TreeSet<>(web));
            assertSeen(server, token, group, web, "filled with web-*");

            // The match changed (the device-group trigger marks it to be filled): its rows still say web-*.
            server.server.database().write(c -> {
                try (PreparedStatement st = c.prepareStatement(
                        "UPDATE device_groups SET match_hostname = 'db-*' WHERE id = ?")) {
                    st.setString(1, group);
                    st.executeUpdate();
                }
                return null;
            });
            assertThat(filling(server, group)).as("marked to be filled").isTrue();
            assertThat(keptRows(server, group)).as("the old match's rows").containsExactlyElementsOf(new TreeSet<>(web));
            assertSeen(server, token, group, db, "while db-* fills");
            assertThat(filling(server, group)).as("still filling: the answers above did not come from the rows").isTrue();

            assertThat(server.server.fillGroupMatches()).as("writes").isPositive();
            assertThat(filling(server, group)).isFalse();
            assertThat(keptRows(server, group)).containsExactlyElementsOf(new TreeSet<>(db));
            assertSeen(server, token, group, db, "filled with db-*");

            // Through the API: the answer counts what the new match selects, before and after its fill.
            TestServer.Reply put = server.put("/api/v1/device-groups/" + group,
                    Map.of("name", "servers", "match", Map.of("hostname", "*-1")));
            assertThat(put.status()).as(put.body()).isEqualTo(200);
            assertThat(put.json().get("matchedCount").asLong()).isEqualTo(2);
            server.server.fillGroupMatches();
            assertThat(keptRows(server, group)).containsExactlyInAnyOrder(web.get(0), db.get(0));
            assertSeen(server, token, group, List.of(web.get(0), db.get(0)), "filled with *-1");

            // Deleted, with a second group that reaches db-4 as an explicit member: each group at once,
            // its rows (members and matches) by the purge after it, and nothing reached meanwhile.
            String pinned = admin.deviceGroup("pinned", List.of(db.get(3)), null, null);
            admin.rule(Map.of("principals", List.of("user:" + user), "targets", List.of("device-group:" + pinned),
                    "permissions", List.of("password.read")));
            TestServer.Reply two = server.getWithToken("/api/v1/devices?limit=100", token);
            assertThat(ids(two.json())).containsExactlyElementsOf(new TreeSet<>(List.of(web.get(0), db.get(0), db.get(3))));
            for (String deleted : List.of(group, pinned)) {
                assertThat(server.delete("/api/v1/device-groups/" + deleted).status()).isEqualTo(204);
                assertThat(server.get("/api/v1/device-groups/" + deleted).status()).isEqualTo(404);
            }
            TestServer.Reply none = server.getWithToken("/api/v1/devices?limit=100", token);
            assertThat(ids(none.json())).as("the scoped user reaches nothing").isEmpty();
            TestServer.Reply reveal = server.getWithToken("/api/v1/devices/" + db.get(3) + "/password", token);
            assertThat(reveal.status()).as("no reveal through a deleted group: %s", reveal.body()).isEqualTo(403);
            server.server.fillGroupMatches();
            assertThat(keptRows(server, group)).isEmpty();
            assertThat(memberRows(server, pinned)).isEmpty();
        }
    }

    /** The scoped user's device list, the group's matched count and its member pages all show {@code expected}. */
    private static void assertSeen(TestServer server, String token, String group, List<String> expected, String when)
            throws Exception {
        TestServer.Reply list = server.getWithToken("/api/v1/devices?limit=100", token);
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        assertThat(ids(list.json())).as("%s: the scoped user's devices", when).containsExactlyElementsOf(new TreeSet<>(expected));
        TestServer.Reply one = server.get("/api/v1/device-groups/" + group);
        assertThat(one.json().get("matchedCount").asLong()).as("%s: matched count", when).isEqualTo(expected.size());
        List<String> members = new ArrayList<>();
        String cursor = "";
        do {
            TestServer.Reply page = server.get("/api/v1/device-groups/" + group + "/members?limit=3"
                    + (cursor.isEmpty() ? "" : "&after=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            page.json().forEach(m -> {
                assertThat(m.get("matched").asBoolean()).as("%s: %s", when, m).isTrue();
                members.add(m.get("id").asText());
            });
            cursor = page.header("X-Next-Cursor");
        } while (cursor != null);
        assertThat(members).as("%s: the group's members, paged", when).containsExactlyElementsOf(new TreeSet<>(expected));
    }

    private static List<String> ids(JsonNode rows) {
        List<String> out = new ArrayList<>();
        rows.forEach(r -> out.add(r.get("id").asText()));
        return out;
    }

    private static String agent(TestServer server, String hostname) throws Exception {
        TestAgent agent = new TestAgent(server);
        agent.hostname = hostname;
        return agent.registered().deviceId;
    }

    private static boolean filling(TestServer server, String group) {
        return server.server.database().read(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT match_fill_after FROM device_groups WHERE id = ?")) {
                st.setString(1, group);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    return rs.getString(1) != null;
                }
            }
        });
    }

    private static TreeSet<String> memberRows(TestServer server, String group) {
        return rows(server, "device_group_members", group);
    }

    private static TreeSet<String> keptRows(TestServer server, String group) {
        return rows(server, "device_group_matches", group);
    }

    /** The device ids of {@code table}'s rows for {@code group}. */
    private static TreeSet<String> rows(TestServer server, String table, String group) {
        return server.server.database().read(c -> {
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
}
