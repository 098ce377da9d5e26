package org.castellan.server.vault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.UUID;
import org.castellan.server.CastellanServer;
import org.castellan.server.cli.ServerMain;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Promise 2: the vault key can be rotated, and passwords sealed to the old key stay readable. */
class VaultRotationTest {
    @TempDir
    Path dataDir;

    @Test
    void afterRotationNewKeyIsHandedOutAndOldEnvelopesStillOpen() throws Exception {
        String agentKeyId;
        TestAgent agent;
        String rotationId = UUID.randomUUID().toString();
        String token;
        try (TestServer server = TestServer.start(dataDir)) {
            token = server.adminToken;
            agent = new TestAgent(server).registered();
            agentKeyId = agent.vaultKey.keyId();
            agent.escrow("root", rotationId, "Old-Key-Password-1");
            agent.commit(rotationId);
        }

        assertThat(ServerMain.execute("vault", "rotate", "--data", dataDir.toString())).isZero();

        CastellanServer restarted = CastellanServer.start(TestServer.config(dataDir));
        try (TestServer server = TestServer.attach(restarted, dataDir, token)) {
            TestAgent same = agent.on(server);
            var checkIn = same.checkIn("root").json();
            String newKeyId = checkIn.get("vaultKey").get("keyId").asText();
            assertThat(newKeyId).isNotEqualTo(agentKeyId);

            var reveal = server.get("/api/v1/devices/" + agent.deviceId + "/password").json();
            assertThat(reveal.get("password").asText()).isEqualTo("Old-Key-Password-1");

            same.vaultKey = new org.castellan.protocol.messages.VaultKey(newKeyId,
                    checkIn.get("vaultKey").get("algorithm").asText(), checkIn.get("vaultKey").get("publicKey").asText());
            String next = UUID.randomUUID().toString();
            assertThat(same.escrow("root", next, "New-Key-Password-2").status()).isEqualTo(201);
            same.commit(next);
            assertThat(server.get("/api/v1/devices/" + agent.deviceId + "/password").json().get("password").asText())
                    .isEqualTo("New-Key-Password-2");
        }
    }
}
