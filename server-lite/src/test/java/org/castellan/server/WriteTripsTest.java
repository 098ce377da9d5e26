package org.castellan.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.castellan.server.testing.AdminApi;
import org.castellan.server.testing.OnPostgres;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request's bookkeeping (the token's last use, the agent's nonce, the audit row) rides in the
 * transaction of its work: one trip through the database writer per request, reveals included.
 */
class WriteTripsTest {
    @TempDir
    static Path dataDir;
    static TestServer server;
    static TestAgent agent;
    static String helpDeskToken;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dataDir);
        agent = new TestAgent(server).registered();
        AdminApi.escrowAndCommit(agent, "root", "first password 1");
        AdminApi admin = new AdminApi(server);
        helpDeskToken = admin.token(admin.user("helpdesk", null));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private interface Call {
        TestServer.Reply send() throws Exception;
    }

    private static long tripsOf(int expectedStatus, Call call) throws Exception {
        long before = server.server.writeUnits();
        TestServer.Reply reply = call.send();
        assertThat(reply.status()).as(reply.body()).isEqualTo(expectedStatus);
        return server.server.writeUnits() - before;
    }

    @Test
    void aGrantedRevealIsOneTripWithItsAuditRowAndTheTokensUse() throws Exception {
        // On PostgreSQL the reveal limit is counted in the shared database (SharedRateLimiter), every
        // node's reveals in one count: a transaction of its own before the reveal's.
        long limitCount = OnPostgres.active() ? 1 : 0;
        assertThat(tripsOf(200, () -> server.get("/api/v1/devices/" + agent.deviceId + "/password")))
                .isEqualTo(1 + limitCount);
        assertThat(new AdminApi(server).audit("action=password.reveal&outcome=granted&device=" + agent.deviceId))
                .isNotEmpty();
    }

    @Test
    void aDeniedRevealIsOneTrip() throws Exception {
        assertThat(tripsOf(403, () -> server.getWithToken("/api/v1/devices/" + agent.deviceId + "/password",
                helpDeskToken))).isEqualTo(1);
    }

    @Test
    void anAdminActionIsOneTrip() throws Exception {
        assertThat(tripsOf(201, () -> server.post("/api/v1/registration-keys", Map.of("name", "trips")))).isEqualTo(1);
    }

    @Test
    void anAgentRequestIsOneTripWithItsNonce() throws Exception {
        assertThat(tripsOf(200, () -> agent.checkIn("root"))).isEqualTo(1);
        assertThat(tripsOf(201, () -> agent.escrow("root", java.util.UUID.randomUUID().toString(), "second password 2")))
                .isEqualTo(1);
    }

    @Test
    void aReadRecordsOnlyTheTokensUseAndThatAtMostOnceAMinute() throws Exception {
        AdminApi admin = new AdminApi(server);
        String fresh = admin.token(admin.user("reader-" + java.util.UUID.randomUUID().toString().substring(0, 8), null));
        assertThat(tripsOf(200, () -> server.getWithToken("/api/v1/devices", fresh))).as("its first use").isEqualTo(1);
        assertThat(tripsOf(200, () -> server.getWithToken("/api/v1/devices", fresh)))
                .as("used again within the minute: nothing to write").isZero();
        assertThat(tripsOf(200, () -> server.get("/api/v1/devices"))).as("the admin token was just used").isZero();
        assertThat(tripsOf(200, () -> server.get("/healthz"))).isZero();
        assertThat(tripsOf(401, () -> server.getWithToken("/api/v1/devices", null))).isZero();
    }
}
