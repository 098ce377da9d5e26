package org.castellan.server.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.castellan.protocol.AgentPaths;
import org.castellan.protocol.messages.CheckInRequest;
import org.castellan.server.testing.AdminApi;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A check-in from a copy of a device's state (another machine): shown, audited, never told to rotate. */
class CloneReportTest {
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

    private static TestServer.Reply reportClone(TestAgent agent, String cloneHost) throws Exception {
        return agent.post(AgentPaths.CHECK_IN, new CheckInRequest(cloneHost, "Debian 12", "0.1.0", null, null, List.of(),
                "machine-id differ from the machine this device was registered on"));
    }

    @Test
    void cloneReportIsShownAsAStickyWarningAuditedOnceAndNeverAnsweredWithARotation() throws Exception {
        TestAgent original = new TestAgent(server).registered();
        String originalHost = original.hostname;
        assertThat(original.checkIn("root").status()).isEqualTo(200);
        AdminApi.escrowAndCommit(original, "root", "Original-Pass-1234");

        TestServer.Reply first = reportClone(original, "copy-of-" + originalHost);
        TestServer.Reply again = reportClone(original, "copy-of-" + originalHost);

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().get("rotate").asBoolean()).isFalse();
        assertThat(again.json().get("rotate").asBoolean()).isFalse();
        JsonNode device = server.get("/api/v1/devices/" + original.deviceId).json();
        assertThat(device.get("hostname").asText()).as("the copy does not take over the record").isEqualTo(originalHost);
        assertThat(device.get("warnings").toString()).contains("clone-reported:copy-of-" + originalHost);
        List<JsonNode> audited = admin.audit("device=" + original.deviceId + "&action=device.clone-reported");
        assertThat(audited).hasSize(1);
        assertThat(audited.get(0).toString()).contains("copy-of-" + originalHost).contains("machine-id differ");

        // The original checks in with its own warnings: the clone report stays visible.
        assertThat(original.post(AgentPaths.CHECK_IN, new CheckInRequest(originalHost, "Debian 12", "0.1.0", "root", null,
                List.of("password-locked"))).status()).isEqualTo(200);
        JsonNode after = server.get("/api/v1/devices?hostname=" + originalHost).json().get(0);
        assertThat(after.get("warnings").toString()).contains("clone-reported:copy-of-" + originalHost, "password-locked");
    }

    @Test
    void cloneReportWithControlCharactersIsRefusedAndChangesNothing() throws Exception {
        TestAgent agent = new TestAgent(server).registered();

        TestServer.Reply reply = agent.post(AgentPaths.CHECK_IN, new CheckInRequest(agent.hostname, "Debian 12", "0.1.0",
                null, null, List.of(), "bad\nvalue"));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(server.get("/api/v1/devices/" + agent.deviceId).json().get("warnings").toString())
                .doesNotContain("clone-reported");
    }
}
