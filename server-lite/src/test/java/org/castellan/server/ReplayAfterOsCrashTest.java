package org.castellan.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;
import okhttp3.Request;
import org.castellan.protocol.AgentPaths;
import org.castellan.protocol.signing.RequestVerifier;
import org.castellan.server.config.ConsoleSettings;
import org.castellan.server.db.BootId;
import org.castellan.server.notify.DispatcherSettings;
import org.castellan.server.testing.SqliteOnly;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestClock;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plain check-in is committed lazily (no fsync before its answer), so an operating-system crash
 * may lose its nonce. This plays that crash on the real server: the lease the running server left,
 * the nonce gone from the database, a new boot id at the next start. The captured request must not
 * be accepted again, nor any request stamped before the lost commits plus the skew; once such
 * stamps are stale, check-ins go on. A crash of the server alone (same boot) refuses nothing.
 */
@SqliteOnly("the embedded writer's lazy commits; PostgreSQL commits every write durably")
class ReplayAfterOsCrashTest {
    @TempDir
    Path dataDir;
    @TempDir
    Path bootDir;
    private final TestClock clock = TestClock.now();
    private Path bootFile;

    @BeforeEach
    void boot() throws Exception {
        bootFile = bootDir.resolve("boot_id");
        newBoot();
        System.setProperty(BootId.FILE_PROPERTY, bootFile.toString());
    }

    @AfterEach
    void forgetBoot() {
        System.clearProperty(BootId.FILE_PROPERTY);
    }

    private String newBoot() throws Exception {
        String id = UUID.randomUUID().toString();
        Files.writeString(bootFile, id + "\n");
        return id;
    }

    private Connection database() throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("castellan.db"));
    }

    private long leaseUntil() throws Exception {
        try (Connection c = database(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT lazy_until_ms FROM commit_lease")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** What the kernel's crash leaves: the running server's lease, and the newest nonce never reached disk. */
    private void crash(long leaseUntilMillis, String nonceOf) throws Exception {
        try (Connection c = database()) {
            try (PreparedStatement st = c.prepareStatement("UPDATE commit_lease SET lazy_until_ms = ?")) {
                st.setLong(1, leaseUntilMillis);
                st.executeUpdate();
            }
            try (PreparedStatement st = c.prepareStatement("DELETE FROM request_nonces WHERE nonce = ?")) {
                st.setString(1, nonceOf);
                assertThat(st.executeUpdate()).isEqualTo(1);
            }
        }
    }

    private TestServer restart(String token) throws Exception {
        return TestServer.attach(CastellanServer.start(TestServer.config(dataDir, TestServer.GENEROUS), clock,
                DispatcherSettings.defaults(), ConsoleSettings.defaults()), dataDir, token);
    }

    /** What the first run leaves a test: the admin token, the agent, its accepted check-in, the lease it ran under. */
    private record FirstRun(String token, TestAgent agent, Request captured, long leaseWhileRunning) {}

    /** A server's first run: one device registered, one check-in accepted (and captured), then a clean stop. */
    private FirstRun firstRun() throws Exception {
        try (TestServer server = TestServer.start(dataDir, TestServer.GENEROUS, clock, DispatcherSettings.defaults())) {
            TestAgent agent = new TestAgent(server);
            agent.clock = clock;
            agent.registered();
            Request captured = agent.signed(AgentPaths.CHECK_IN, TestAgent.bytes(agent.checkInRequest("root")), clock);
            assertThat(server.call(captured).status()).isEqualTo(200);
            // The lazy check-in ran under a lease written before it, a minute ahead.
            long lease = leaseUntil();
            assertThat(lease).isGreaterThan(clock.millis());
            return new FirstRun(server.adminToken, agent, captured, lease);
        }
    }

    @Test
    void aCheckInWhoseNonceWasLostInAnOsCrashCannotBeReplayed() throws Exception {
        FirstRun first = firstRun();
        String token = first.token();
        TestAgent agent = first.agent();
        Request captured = first.captured();
        long leaseWhileRunning = first.leaseWhileRunning();
        assertThat(leaseUntil()).as("a clean stop releases the lease").isZero();

        crash(leaseWhileRunning, captured.header(org.castellan.protocol.Headers.NONCE));
        newBoot();
        try (TestServer server = restart(token)) {
            Request replay = captured.newBuilder().url(server.url(AgentPaths.CHECK_IN)).build();
            TestServer.Reply refused = server.call(replay);
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.error()).isEqualTo("recovering-from-crash");
            long fence = leaseWhileRunning / 1000 + 1 + RequestVerifier.DEFAULT_MAX_SKEW.toSeconds();
            long retryAfter = Long.parseLong(refused.header("Retry-After"));
            assertThat(retryAfter).isEqualTo(fence + 1 - clock.instant().getEpochSecond());

            // A fresh request is stamped inside the window too: refused as well, nothing recorded.
            TestServer.Reply fresh = agent.on(server).checkIn("root");
            assertThat(fresh.status()).isEqualTo(503);
            assertThat(fresh.header("Retry-After")).isEqualTo(Long.toString(retryAfter));

            // Once the retry time has passed: check-ins go on, and the captured one is merely stale.
            clock.advance(Duration.ofSeconds(retryAfter));
            assertThat(agent.checkIn("root").status()).isEqualTo(200);
            TestServer.Reply late = server.call(replay);
            assertThat(late.status()).isEqualTo(401);
            assertThat(late.error()).isEqualTo("stale-request");
        }
    }

    @Test
    void aCrashOfTheServerAloneRefusesNothing() throws Exception {
        FirstRun first = firstRun();
        String token = first.token();
        TestAgent agent = first.agent();
        Request captured = first.captured();
        long leaseWhileRunning = first.leaseWhileRunning();
        // Same boot: the page cache kept the nonce, so the row is there; only the lease is left unreleased.
        try (Connection c = database();
             PreparedStatement st = c.prepareStatement("UPDATE commit_lease SET lazy_until_ms = ?")) {
            st.setLong(1, leaseWhileRunning);
            st.executeUpdate();
        }
        try (TestServer server = restart(token)) {
            assertThat(agent.on(server).checkIn("root").status()).isEqualTo(200);
            TestServer.Reply replay = server.call(captured.newBuilder().url(server.url(AgentPaths.CHECK_IN)).build());
            assertThat(replay.status()).isEqualTo(401);
            assertThat(replay.error()).isEqualTo("replayed-request");
        }
    }
}
