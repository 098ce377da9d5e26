package org.castellan.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.castellan.server.testing.AdminApi;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A representation round-trips: what GET returns, the PUT of the same resource accepts, so
 * "get, change one field, put" works. Read-only fields (a policy's name, a group's id and name)
 * may be sent back as they were; changed, they are refused and nothing changes.
 */
class RoundTripTest {
    @TempDir
    static Path dataDir;
    static TestServer server;
    static AdminApi admin;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dataDir);
        admin = new AdminApi(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aPolicyFromGetIsAcceptedByPutWithOneFieldChanged() throws Exception {
        assertThat(server.put("/api/v1/policies/round-trip", Map.of("length", 24)).status()).isEqualTo(200);
        ObjectNode policy = (ObjectNode) server.get("/api/v1/policies/round-trip").json();
        assertThat(policy.get("name").asText()).isEqualTo("round-trip");

        policy.put("length", 31);
        TestServer.Reply put = server.put("/api/v1/policies/round-trip", policy.toString());
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(server.get("/api/v1/policies/round-trip").json()).isEqualTo(policy);

        policy.put("name", "other").put("length", 40);
        TestServer.Reply renamed = server.put("/api/v1/policies/round-trip", policy.toString());
        assertThat(renamed.status()).isEqualTo(400);
        assertThat(renamed.error()).isEqualTo("read-only-name");
        assertThat(server.get("/api/v1/policies/round-trip").json().get("length").asInt()).as("nothing changed").isEqualTo(31);
    }

    @Test
    void aDeviceGroupFromGetIsAcceptedByPutWithOneFieldChanged() throws Exception {
        String device = new TestAgent(server).registered().deviceId;
        String id = admin.deviceGroup("rt-web", List.of(device), Map.of("hostname", "web*"), null);
        ObjectNode group = (ObjectNode) server.get("/api/v1/device-groups/" + id).json();

        ((ObjectNode) group.get("match")).put("hostname", "db*");
        TestServer.Reply put = server.put("/api/v1/device-groups/" + id, group.toString());
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(server.get("/api/v1/device-groups/" + id).json()).isEqualTo(group);

        group.put("id", "00000000-0000-4000-8000-000000000000").put("name", "renamed");
        TestServer.Reply moved = server.put("/api/v1/device-groups/" + id, group.toString());
        assertThat(moved.status()).isEqualTo(400);
        assertThat(moved.error()).isEqualTo("read-only-id");
        assertThat(server.get("/api/v1/device-groups/" + id).json().get("name").asText()).isEqualTo("rt-web");
    }

    @Test
    void aUserGroupFromGetIsAcceptedByPutMembersWithTheMembersChanged() throws Exception {
        String ann = admin.user("rt-ann", null);
        String bob = admin.user("rt-bob", null);
        String id = admin.userGroup("rt-desk", ann);
        ObjectNode group = (ObjectNode) server.get("/api/v1/user-groups/" + id).json();

        group.putArray("members").add(ann).add(bob);
        TestServer.Reply put = server.put("/api/v1/user-groups/" + id + "/members", group.toString());
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(server.get("/api/v1/user-groups/" + id).json().get("members")).containsExactlyInAnyOrderElementsOf(
                group.get("members"));

        group.put("name", "renamed").putArray("members");
        TestServer.Reply renamed = server.put("/api/v1/user-groups/" + id + "/members", group.toString());
        assertThat(renamed.status()).isEqualTo(400);
        assertThat(renamed.error()).isEqualTo("read-only-name");
        assertThat(server.get("/api/v1/user-groups/" + id).json().get("members")).hasSize(2);
    }
}
