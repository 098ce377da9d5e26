package org.castellan.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.castellan.server.audit.AuditActions;
import org.castellan.server.testing.AdminApi;
import org.castellan.server.testing.ConsoleClient;
import org.castellan.server.testing.OneServerPerClass;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: a device group whose explicit member was deleted (a tombstone, its secrets still
 * revealable until purged) can be edited. The edit page lists the group's devices a page at a time
 * (issue 11), the deleted member marked deleted with a Remove button; saving the edit form keeps
 * the members as they are (its rules still reach the tombstone's secrets), the Remove button
 * removes it, and neither the page nor the API adds a deleted or unknown device to a group. Over
 * real HTTPS without a browser; the forms are submitted as the page renders them.
 */
class DeviceGroupDeletedMemberTest extends OneServerPerClass {
    static final String TAG = UUID.randomUUID().toString().substring(0, 6);
    static ConsoleClient console;
    static String adminId;

    @BeforeAll
    static void signIn() throws Exception {
        String name = "dg-admin-" + TAG;
        TestServer.Reply created = server.post("/api/v1/users", Map.of("name", name, "password", "Group-admin-" + name,
                "admin", true));
        assertThat(created.status()).isEqualTo(201);
        adminId = created.json().get("id").asText();
        console = new ConsoleClient(server);
        clock.advance(Duration.ofSeconds(31));
        console.signIn(name, "Group-admin-" + name, null, clock.instant());
    }

    static TestAgent device(String hostname) throws Exception {
        TestAgent agent = new TestAgent(server);
        agent.clock = clock;
        agent.hostname = hostname;
        return agent.registered();
    }

    /** A group of two named devices, a help-desk rule on the group; then one of them is deleted. */
    record Setup(TestAgent live, TestAgent gone, String group, String helpDesk) {
        String edit() {
            return "/admin/device-groups/" + group + "/edit";
        }

        TestServer.Reply goneSecret() throws Exception {
            return server.getWithToken("/api/v1/devices/" + gone.deviceId + "/password?reason=check", helpDesk);
        }
    }

    static Setup groupWithADeletedMember(String label) throws Exception {
        String tag = label + "-" + TAG;
        TestAgent live = device("dgm-" + tag + "-live");
        TestAgent gone = device("dgm-" + tag + "-gone");
        AdminApi.escrowAndCommit(gone, "root", "Kept-after-delete-" + tag);
        String group = admin.deviceGroup("members " + tag, List.of(live.deviceId, gone.deviceId), null, null);
        String user = admin.user("hd-" + tag, null);
        admin.rule(Map.of("principals", List.of("user:" + user), "targets", List.of("device-group:" + group),
                "permissions", List.of("password.read")));
        Setup s = new Setup(live, gone, group, admin.token(user));
        assertThat(server.delete("/api/v1/devices/" + gone.deviceId).status()).isEqualTo(204);
        assertThat(s.goneSecret().status()).as("the group's rule reaches the deleted member's kept secret")
                .isEqualTo(200);
        return s;
    }

    /** The group's explicit members, from its paged member list. */
    static List<String> members(String group) throws Exception {
        List<String> out = new ArrayList<>();
        TestServer.Reply page = server.get("/api/v1/device-groups/" + group + "/members?limit=1000");
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        page.json().forEach(m -> {
            if (m.get("explicit").asBoolean()) {
                out.add(m.get("id").asText());
            }
        });
        return out;
    }

    static String value(List<Map.Entry<String, String>> fields, String name) {
        return fields.stream().filter(f -> f.getKey().equals(name)).map(Map.Entry::getValue).findFirst().orElse(null);
    }

    static List<JsonNode> updates(String group) throws Exception {
        return admin.audit("action=" + AuditActions.DEVICE_GROUP_UPDATE + "&principal=user:" + adminId).stream()
                .filter(r -> r.get("detail").asText().contains("device-group:" + group)).toList();
    }

    @Test
    void theEditPageShowsADeletedMemberAsDeletedAndSavingTheFormKeepsTheMembers() throws Exception {
        Setup s = groupWithADeletedMember("keep");
        // The machine is reinstalled under the same name: a new device now has the deleted one's host name.
        TestAgent reborn = device(s.gone().hostname);

        ConsoleClient.Page page = console.get(s.edit());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).containsPattern("<tr data-member=\"" + s.gone().hostname + "\"><td>" + s.gone().hostname
                        + " <strong class=\"deleted\">\\(deleted\\)</strong>")
                .contains("id=\"dg-remove-" + s.gone().deviceId + "\"").contains("id=\"dg-remove-" + s.live().deviceId + "\"")
                .contains("<p id=\"dg-member-count\">2 listed</p>");
        List<Map.Entry<String, String>> form = ConsoleClient.fieldsOf(page, "device-group-edit-form");
        assertThat(value(form, "devices")).as("members are changed apart, not in the edit form").isNull();

        ConsoleClient.Page saved = console.submit(s.edit(), form);
        assertThat(saved.status()).as(saved.body()).isEqualTo(303);
        assertThat(saved.location()).isEqualTo("/admin/device-groups?done=updated");
        assertThat(console.get(saved.location()).body()).contains("Device group saved.");
        assertThat(members(s.group())).as("unchanged: the new device of the same name did not take its place")
                .containsExactlyInAnyOrder(s.live().deviceId, s.gone().deviceId);
        assertThat(server.get("/api/v1/devices/" + reborn.deviceId).json().get("groups").toString())
                .doesNotContain(s.group());
        assertThat(s.goneSecret().status()).as("the rule still reaches the kept secret").isEqualTo(200);
        assertThat(updates(s.group())).singleElement().satisfies(r -> {
            assertThat(r.get("outcome").asText()).isEqualTo("ok");
            assertThat(r.get("detail").asText()).contains("devices unchanged");
        });
    }

    @Test
    void theRemoveButtonRemovesTheDeletedMemberAndItCannotBeAddedBack() throws Exception {
        Setup s = groupWithADeletedMember("drop");
        String remove = "dg-remove-" + s.gone().deviceId;
        ConsoleClient.Page saved = console.submit("/admin/device-groups/" + s.group() + "/members",
                ConsoleClient.fieldsOf(console.get(s.edit()), remove));
        assertThat(saved.status()).as(saved.body()).isEqualTo(303);
        assertThat(saved.location()).isEqualTo(s.edit() + "?done=members");
        ConsoleClient.Page again = console.get(saved.location());
        assertThat(again.body()).contains("Members changed.").doesNotContain(remove).doesNotContain(s.gone().hostname);
        assertThat(members(s.group())).containsExactly(s.live().deviceId);
        assertThat(s.goneSecret().status()).as("the group's rule no longer reaches it").isEqualTo(403);
        assertThat(updates(s.group())).singleElement().satisfies(r -> assertThat(r.get("detail").asText())
                .contains("removed [" + s.gone().deviceId + "]"));

        // Back by its host name typed in the add field, or by its id through the API: refused with a clear message.
        List<Map.Entry<String, String>> typed = new ArrayList<>(ConsoleClient.fieldsOf(again, "dg-members-form"));
        typed.replaceAll(f -> f.getKey().equals("add") ? Map.entry("add", s.gone().hostname) : f);
        ConsoleClient.Page byName = console.submit("/admin/device-groups/" + s.group() + "/members", typed);
        assertThat(byName.status()).isEqualTo(400);
        // No live device has that name now: the form says the one that had it was deleted.
        assertThat(byName.body()).contains("the device named " + s.gone().hostname + " was deleted");
        TestServer.Reply byId = server.post("/api/v1/device-groups/" + s.group() + "/members",
                Map.of("add", List.of(s.gone().deviceId)));
        assertThat(byId.status()).isEqualTo(400);
        assertThat(byId.error()).isEqualTo("invalid-devices");
        assertThat(byId.json().get("message").asText()).contains("which was deleted");
        assertThat(members(s.group())).containsExactly(s.live().deviceId);
        assertThat(updates(s.group())).as("a refused change is not on record as a change").hasSize(1);
    }

    @Test
    void thePutTakesBackWhatGetReturnsWithADeletedMemberButNeverAddsADeletedOrUnknownDevice() throws Exception {
        Setup s = groupWithADeletedMember("api");
        String path = "/api/v1/device-groups/" + s.group();
        JsonNode got = server.get(path).json();

        assertThat(got.has("devices")).as("counted, not listed").isFalse();
        assertThat(got.get("memberCount").asLong()).isEqualTo(2);
        TestServer.Reply same = server.put(path, got);
        assertThat(same.status()).as(same.body()).isEqualTo(200);
        assertThat(server.get(path).json()).isEqualTo(got);
        assertThat(members(s.group())).as("a PUT without devices keeps them, the deleted one too")
                .containsExactlyInAnyOrder(s.live().deviceId, s.gone().deviceId);
        assertThat(s.goneSecret().status()).isEqualTo(200);

        String other = admin.deviceGroup("other api-" + TAG, List.of(s.live().deviceId), null, null);
        JsonNode otherBefore = server.get("/api/v1/device-groups/" + other).json();
        for (String added : List.of(s.gone().deviceId, UUID.randomUUID().toString())) {
            ObjectNode body = otherBefore.deepCopy();
            body.putArray("devices").add(s.live().deviceId).add(added);
            TestServer.Reply refused = server.put("/api/v1/device-groups/" + other, body);
            assertThat(refused.status()).as(added).isEqualTo(400);
            assertThat(refused.error()).isEqualTo("invalid-devices");
        }
        assertThat(server.get("/api/v1/device-groups/" + other).json()).isEqualTo(otherBefore);
        Map<String, Object> fresh = new LinkedHashMap<>(Map.of("name", "fresh api-" + TAG, "devices",
                List.of(s.gone().deviceId)));
        assertThat(server.post("/api/v1/device-groups", fresh).error()).isEqualTo("invalid-devices");

        ObjectNode without = got.deepCopy();
        without.putArray("devices").add(s.live().deviceId);
        assertThat(server.put(path, without).status()).isEqualTo(200);
        ObjectNode back = got.deepCopy();
        back.putArray("devices").add(s.live().deviceId).add(s.gone().deviceId);
        TestServer.Reply readded = server.put(path, back);
        assertThat(readded.status()).as("once left out, it cannot come back").isEqualTo(400);
        assertThat(readded.error()).isEqualTo("invalid-devices");
        assertThat(members(s.group())).containsExactly(s.live().deviceId);
    }

    @Test
    void aDeviceListedTwiceIsOneMemberNeverAServerError() throws Exception {
        TestAgent one = device("dgm-twice-" + TAG + "-a");
        TestAgent two = device("dgm-twice-" + TAG + "-b");
        TestServer.Reply created = server.post("/api/v1/device-groups", Map.of("name", "twice " + TAG,
                "devices", List.of(one.deviceId, one.deviceId, two.deviceId)));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String group = created.json().get("id").asText();
        assertThat(members(group)).containsExactlyInAnyOrder(one.deviceId, two.deviceId);

        ObjectNode body = server.get("/api/v1/device-groups/" + group).json().deepCopy();
        body.putArray("devices").add(two.deviceId).add(two.deviceId).add(two.deviceId);
        TestServer.Reply put = server.put("/api/v1/device-groups/" + group, body);
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(members(group)).containsExactly(two.deviceId);

        // The console's add field, the same host name twice and once in other case.
        List<Map.Entry<String, String>> form = new ArrayList<>(ConsoleClient.fieldsOf(
                console.get("/admin/device-groups/" + group + "/edit"), "dg-members-form"));
        form.replaceAll(f -> f.getKey().equals("add")
                ? Map.entry("add", one.hostname + ", " + one.hostname + ", " + one.hostname.toUpperCase()) : f);
        ConsoleClient.Page saved = console.submit("/admin/device-groups/" + group + "/members", form);
        assertThat(saved.status()).as(saved.body()).isEqualTo(303);
        assertThat(members(group)).containsExactlyInAnyOrder(one.deviceId, two.deviceId);
    }
}
