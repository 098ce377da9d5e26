package org.castellan.server.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import org.castellan.server.testing.DbSnapshot;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guard keeps decoded device keys between requests; a device whose stored key changes (a
 * restore, a repair in the database) must be checked against the key stored now, never the one
 * decoded for its earlier requests.
 */
class AgentGuardKeyChangeTest {
    @TempDir
    static Path dataDir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dataDir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aDeviceWhoseStoredKeyChangesIsVerifiedWithTheNewKeyOnly() throws Exception {
        TestAgent before = new TestAgent(server).registered();
        assertThat(before.checkIn("root").status()).isEqualTo(200);
        assertThat(before.checkIn("root").status()).as("served with the key decoded before").isEqualTo(200);

        TestAgent after = new TestAgent(server);
        after.deviceId = before.deviceId;
        after.hostname = before.hostname;
        storeKey(before.deviceId, after.key.publicKeyBase64());

        TestServer.Reply old = before.checkIn("root");
        assertThat(old.status()).as(old.body()).isEqualTo(401);
        assertThat(old.error()).isEqualTo("bad-signature");
        assertThat(after.checkIn("root").status()).isEqualTo(200);

        // Back to the first key: both are decoded by now, and each still answers only for itself.
        storeKey(before.deviceId, before.key.publicKeyBase64());
        assertThat(before.checkIn("root").status()).isEqualTo(200);
        assertThat(after.checkIn("root").error()).isEqualTo("bad-signature");
    }

    private static void storeKey(String deviceId, String publicKey) throws Exception {
        try (Connection c = DbSnapshot.open(dataDir);
             PreparedStatement st = c.prepareStatement("UPDATE devices SET public_key = ? WHERE id = ?")) {
            st.setString(1, publicKey);
            st.setString(2, deviceId);
            assertThat(st.executeUpdate()).isEqualTo(1);
        }
    }
}
