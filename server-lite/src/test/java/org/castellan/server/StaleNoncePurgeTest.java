package org.castellan.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import okhttp3.Request;
import org.castellan.protocol.AgentPaths;
import org.castellan.protocol.Headers;
import org.castellan.protocol.signing.RequestVerifier;
import org.castellan.server.testing.DbSnapshot;
import org.castellan.server.testing.OneServerPerClass;
import org.castellan.server.testing.TestAgent;
import org.junit.jupiter.api.Test;

/**
 * The server's scheduled nonce purge (what an agent request no longer does in its own write):
 * it deletes a nonce only once no request carrying it could be accepted again, so a captured
 * request is refused as a replay while it is fresh and as stale after that, never taken twice.
 */
class StaleNoncePurgeTest extends OneServerPerClass {
    private static long rowsOf(String nonce) {
        return DbSnapshot.count(dataDir, "SELECT COUNT(*) FROM request_nonces WHERE nonce = '" + nonce + "'");
    }

    @Test
    void aNonceOutlivesEveryRequestThatCouldCarryItAndIsPurgedAfter() throws Exception {
        TestAgent agent = agent();
        Request captured = agent.signed(AgentPaths.CHECK_IN, TestAgent.bytes(agent.checkInRequest("root")), clock);
        String nonce = captured.header(Headers.NONCE);
        assertThat(server.call(captured).status()).isEqualTo(200);

        // The last second the captured request is still fresh enough to pass the timestamp check.
        clock.advance(RequestVerifier.DEFAULT_MAX_SKEW);
        server.server.purgeStaleNoncesAsScheduled();
        assertThat(rowsOf(nonce)).isEqualTo(1);
        assertThat(server.call(captured).error()).isEqualTo("replayed-request");

        // Past the skew and the margin for nodes' clocks: stale, and its nonce goes.
        clock.advance(Duration.ofSeconds(61));
        assertThat(server.server.purgeStaleNoncesAsScheduled()).isGreaterThanOrEqualTo(1);
        assertThat(rowsOf(nonce)).isZero();
        assertThat(server.call(captured).error()).isEqualTo("stale-request");
        assertThat(agent.checkIn("root").status()).as("the device's new requests go on").isEqualTo(200);
    }
}
