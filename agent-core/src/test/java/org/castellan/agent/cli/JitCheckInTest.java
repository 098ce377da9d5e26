package org.castellan.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.castellan.agent.config.EnvVars;
import org.castellan.agent.fake.FakePlatform;
import org.castellan.agent.fake.FakeServer;
import org.castellan.agent.flow.CheckInCycle;
import org.castellan.agent.state.StateDir;
import org.castellan.protocol.messages.CheckInRequest;
import org.castellan.protocol.messages.JitGrant;
import org.castellan.protocol.messages.JitReport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Just-in-time rights through the real agent commands, a fake server and the fake platform's admin rights. */
class JitCheckInTest {
    static final class MovableClock extends Clock {
        Instant now = Instant.now();

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @TempDir
    Path tmp;
    Path state;
    FakePlatform platform;
    FakeServer server;
    MovableClock clock = new MovableClock();
    ByteArrayOutputStream err;

    @BeforeEach
    void registered() {
        state = tmp.resolve("state");
        platform = new FakePlatform(tmp.resolve("default-state"));
        server = new FakeServer("device-7");
        Map<String, String> env = new HashMap<>();
        env.put(EnvVars.REGISTRATION_KEY, "reg-key-0123456789");
        assertThat(run(env, "register", "--server", "https://castellan.test:8443", "--state-dir", state.toString()))
                .as(err()).isZero();
        assertThat(run(Map.of(), "check-in", "--state-dir", state.toString())).as(err()).isZero();
    }

    private AgentContext context(Map<String, String> env) {
        err = new ByteArrayOutputStream();
        return new AgentContext(() -> platform, env, new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), clock, new SecureRandom(),
                (url, fingerprint, key, deviceId) -> server);
    }

    private int run(Map<String, String> env, String... args) {
        return AgentMain.run(context(env), args);
    }

    private int checkIn(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("check-in", "--state-dir", state.toString()));
        args.addAll(List.of(extra));
        return run(Map.of(), args.toArray(String[]::new));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private List<String> reported() {
        return server.checkIns.stream().map(CheckInRequest::jitReports).flatMap(List::stream)
                .map(r -> r.grantId() + ":" + r.state()).toList();
    }

    @Test
    void aGrantFromTheServerIsGivenAndReportedInTheSameCheckIn() {
        Instant end = clock.now.plus(Duration.ofHours(2));
        server.jitGrants = List.of(new JitGrant("g1", "ann", end));

        assertThat(checkIn()).as(err()).isZero();

        assertThat(platform.adminRights.granted).containsEntry("ann", end);
        assertThat(reported()).as("the report follows at once").containsExactly("g1:granted");
        assertThat(checkIn()).isZero();
        assertThat(reported()).as("and is not sent again").containsExactly("g1:granted");
    }

    @Test
    void atItsEndTheGrantIsRevokedEvenWhenTheServerIsUnreachableAndReportedWhenItIsBack() {
        Instant end = clock.now.plus(Duration.ofHours(2));
        server.jitGrants = List.of(new JitGrant("g1", "ann", end));
        assertThat(checkIn()).isZero();
        server.unreachable = true;
        clock.now = end.plusSeconds(1);

        assertThat(checkIn()).as("the check-in itself fails").isNotZero();

        assertThat(platform.adminRights.granted).as("the right is gone all the same").isEmpty();
        server.unreachable = false;
        server.jitGrants = List.of();
        assertThat(checkIn()).isZero();
        assertThat(reported()).containsExactly("g1:granted", "g1:expired");
    }

    @Test
    void aTimerRunThatIsNotDueStillEndsAGrantWhoseTimeIsUp() {
        server.policy = new org.castellan.protocol.messages.AgentPolicy("", 20, "full", 0, false, 30, 86_400,
                org.castellan.protocol.messages.AccountOptions.NONE);
        Instant end = clock.now.plus(Duration.ofMinutes(30));
        server.jitGrants = List.of(new JitGrant("g1", "ann", end));
        assertThat(checkIn()).isZero();
        int checkIns = server.checkIns.size();
        clock.now = end;

        assertThat(checkIn("--if-due")).as(err()).isZero();

        assertThat(server.checkIns).as("not due: no check-in").hasSize(checkIns);
        assertThat(platform.adminRights.granted).isEmpty();
    }

    @Test
    void whileARequestWaitsForApprovalTheAgentChecksInEveryMinute() throws Exception {
        server.jitPending = true;
        CheckInCycle cycle = new CheckInCycle(platform, new StateDir(state), (url, fp, key, id) -> server, clock,
                new SecureRandom());

        assertThat(cycle.run().checkInSeconds()).isEqualTo(60);
        server.jitPending = false;
        assertThat(cycle.run().checkInSeconds()).isEqualTo(server.policy.checkInSeconds());
    }

    @Test
    void aFailedGrantIsReportedAsFailed() {
        platform.adminRights.grantFailure = new org.castellan.agent.spi.PlatformException("unsupported-user",
                "user names with spaces are not accepted");
        server.jitGrants = List.of(new JitGrant("g1", "a b", clock.now.plusSeconds(600)));

        assertThat(checkIn()).isZero();

        assertThat(reported()).containsExactly("g1:" + JitReport.FAILED);
    }
}
