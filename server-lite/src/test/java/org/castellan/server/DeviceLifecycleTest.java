package org.castellan.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.castellan.server.testing.AdminApi;
import org.castellan.server.testing.DbSnapshot;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Approval, disabling, re-enabling and deleting devices, and what each does to agents and reveals. */
class DeviceLifecycleTest {
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
    void deviceRegisteredWithAnApprovalKeyCannotCheckInOrEscrowUntilApproved() throws Exception {
        String group = admin.deviceGroup("new-laptops-" + UUID.randomUUID(), List.of(), null, null);
        TestServer.Reply key = server.post("/api/v1/registration-keys",
                Map.of("name", "needs approval", "requireApproval", true, "groups", List.of(group)));
        assertThat(key.status()).isEqualTo(201);
        assertThat(key.json().get("requireApproval").asBoolean()).isTrue();
        TestAgent agent = new TestAgent(server);
        assertThat(agent.register(key.json().get("key").asText()).status()).isEqualTo(201);

        TestServer.Reply device = server.get("/api/v1/devices/" + agent.deviceId);
        assertThat(device.json().get("status").asText()).isEqualTo("pending-approval");
        assertThat(device.json().get("groups").toString()).isEqualTo("[\"" + group + "\"]");

        TestServer.Reply checkIn = agent.checkIn("root");
        assertThat(checkIn.status()).isEqualTo(403);
        assertThat(checkIn.error()).isEqualTo("device-not-approved");
        TestServer.Reply escrow = agent.escrow("root", UUID.randomUUID().toString(), "Not-yet-1234");
        assertThat(escrow.status()).isEqualTo(403);
        assertThat(escrow.error()).isEqualTo("device-not-approved");
        assertThat(DbSnapshot.count(dataDir, "SELECT COUNT(*) FROM rotations WHERE device_id = '" + agent.deviceId + "'"))
                .isZero();
        assertThat(server.get("/api/v1/devices/" + agent.deviceId + "/password").error()).isEqualTo("device-not-approved");

        TestServer.Reply approved = server.post("/api/v1/devices/" + agent.deviceId + "/approve", "{}");
        assertThat(approved.status()).isEqualTo(200);
        assertThat(approved.json().get("status").asText()).isEqualTo("active");
        assertThat(agent.checkIn("root").status()).isEqualTo(200);
        AdminApi.escrowAndCommit(agent, "root", "Approved-1234");
        assertThat(admin.audit("device=" + agent.deviceId + "&action=device.approve&outcome=granted")).hasSize(1);
    }

    @Test
    void disabledDeviceCannotEscrowAndItsPasswordCannotBeRevealedUntilReEnabled() throws Exception {
        TestAgent agent = new TestAgent(server).registered();
        AdminApi.escrowAndCommit(agent, "root", "Before-disable-1");
        String base = "/api/v1/devices/" + agent.deviceId;

        TestServer.Reply disabled = server.post(base + "/disable", "{}");
        assertThat(disabled.json().get("status").asText()).isEqualTo("disabled");
        TestServer.Reply escrow = agent.escrow("root", UUID.randomUUID().toString(), "While-disabled-1");
        assertThat(escrow.status()).isEqualTo(403);
        assertThat(escrow.error()).isEqualTo("device-disabled");
        assertThat(agent.checkIn("root").error()).isEqualTo("device-disabled");
        TestServer.Reply reveal = server.get(base + "/password");
        assertThat(reveal.status()).isEqualTo(409);
        assertThat(reveal.error()).isEqualTo("device-disabled");
        assertThat(reveal.body()).doesNotContain("Before-disable-1");
        assertThat(server.get(base + "/password/history").status()).isEqualTo(409);
        assertThat(admin.audit("device=" + agent.deviceId + "&action=password.reveal&outcome=denied")).hasSize(1);

        assertThat(server.post(base + "/enable", "{}").json().get("status").asText()).isEqualTo("active");
        assertThat(server.get(base + "/password").json().get("password").asText()).isEqualTo("Before-disable-1");
    }
    // Deleting: DeviceDeletionTest.
}
