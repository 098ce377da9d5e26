package org.castellan.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import okhttp3.Request;
import org.castellan.protocol.AgentPaths;
import org.castellan.server.config.ListenAddress;
import org.castellan.server.config.ServerConfig;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What must survive a restart: nonces (so replays still fail), devices, and the TLS identity. */
class RestartTest {
    @TempDir
    Path dataDir;
    @TempDir
    Path otherDir;

    @Test
    void replayIsRefusedAfterRestartAndConfiguredKeystoreIsUsed() throws Exception {
        Request captured;
        TestAgent agent;
        String token;
        String fingerprint;
        try (TestServer server = TestServer.start(dataDir)) {
            token = server.adminToken;
            fingerprint = server.server.fingerprint();
            agent = new TestAgent(server).registered();
            captured = agent.signed(AgentPaths.CHECK_IN, TestAgent.bytes(agent.checkInRequest("root")), Clock.systemUTC());
            assertThat(server.call(captured).status()).isEqualTo(200);
        }

        // A second data directory served with the first one's certificate, given in the config.
        String keystorePassword = Files.readString(dataDir.resolve("tls/server.p12.password")).trim();
        ServerConfig withKeystore = new ServerConfig(otherDir, ListenAddress.parse("127.0.0.1:0"),
                dataDir.resolve("tls/server.p12"), keystorePassword);
        try (CastellanServer other = CastellanServer.start(withKeystore)) {
            assertThat(other.fingerprint()).isEqualTo(fingerprint);
            assertThat(otherDir.resolve("tls")).doesNotExist();
        }

        try (TestServer server = TestServer.attach(CastellanServer.start(TestServer.config(dataDir)),
                dataDir, token)) {
            assertThat(server.server.fingerprint()).isEqualTo(fingerprint);
            assertThat(server.server.initialAdminToken()).isEmpty();
            Request replay = captured.newBuilder().url(server.url(AgentPaths.CHECK_IN)).build();
            TestServer.Reply reply = server.call(replay);
            assertThat(reply.status()).isEqualTo(401);
            assertThat(reply.error()).isEqualTo("replayed-request");
            assertThat(agent.on(server).checkIn("root").status()).isEqualTo(200);
        }
    }
}
