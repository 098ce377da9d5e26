package org.castellan.e2e;

import org.castellan.testsupport.Prerequisite;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.castellan.e2e.FaultProxy.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Promise 1, attacked: the network, chpasswd, the agent and the server each fail at the worst
 * moment, and after every failure the test logs in (checks the sandbox's shadow file) with what
 * the server reveals. The agent reaches the server through {@link FaultProxy}.
 */
class NoLostPasswordIT {
    private static final String ACCOUNT = "castellan-e2e";
    private static final String ESCROW = "/api/v1/agent/rotations";
    private static final String COMMIT = "/commit";

    @TempDir Path tmp;
    private LinuxSandbox sandbox;
    private volatile ServerProcess server;
    private FaultProxy proxy;
    private AdminCli admin;
    private AgentCli agent;
    private String hostname;
    private final List<String> revealed = new ArrayList<>();

    @BeforeAll
    static void needsSandbox() {
        String why = LinuxSandbox.whyUnavailable();
        Prerequisite.require(why == null, "the chpasswd sandbox (" + why + ")",
                "run as root on Linux with unshare (util-linux), passwd and perl installed");
    }

    @BeforeEach
    void registeredDeviceWithAWorkingPassword() throws Exception {
        sandbox = LinuxSandbox.create(tmp);
        sandbox.createAccount(ACCOUNT);
        server = new ServerProcess(tmp.resolve("server-data")).start();
        proxy = new FaultProxy(() -> server);
        admin = new AdminCli(server, server.adminToken());
        admin.ok("policy", "set", "default", "--account", ACCOUNT);
        String key = admin.json("registration-keys", "create", "--name", "faults").get("key").asText();
        agent = new AgentCli(sandbox, tmp.resolve("agent-state"));
        ProcessResult registered = agent.register(proxy.url(), proxy.fingerprint(), key);
        assertThat(registered.exitCode()).as(registered.describe()).isZero();
        checkInSucceeds();
        hostname = admin.json("devices", "list").get(0).get("hostname").asText();
        assertThat(sandbox.passwordWorks(ACCOUNT, current())).isTrue();
    }

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (server != null) {
            server.close();
        }
        if (server != null && !revealed.isEmpty()) {
            PlaintextScan.assertAbsent(revealed, server.dataDir(), agent.stateDir());
        }
    }

    @Test
    void serverUnreachableDuringEscrowLeavesThePasswordUnchangedAndRetriesLater() throws Exception {
        String before = current();
        String hash = sandbox.shadowHash(ACCOUNT);
        admin.ok("password", "rotate", hostname);
        proxy.failNext(ESCROW, Fault.REFUSE);

        checkInFails();
        assertThat(sandbox.shadowHash(ACCOUNT)).as("no escrow, no change").isEqualTo(hash);
        assertThat(current()).isEqualTo(before);
        assertThat(sandbox.passwordWorks(ACCOUNT, before)).isTrue();

        checkInSucceeds();
        String after = current();
        assertThat(after).isNotEqualTo(before);
        assertThat(sandbox.passwordWorks(ACCOUNT, after)).isTrue();
    }

    @Test
    void lostEscrowAcknowledgementNeverChangesThePassword() throws Exception {
        String before = current();
        String hash = sandbox.shadowHash(ACCOUNT);
        admin.ok("password", "rotate", hostname);
        proxy.failNext(ESCROW, Fault.DROP_RESPONSE);

        checkInFails();
        assertThat(sandbox.shadowHash(ACCOUNT)).isEqualTo(hash);
        assertThat(current()).isEqualTo(before);
        assertThat(sandbox.passwordWorks(ACCOUNT, before)).isTrue();

        checkInSucceeds();
        assertThat(sandbox.passwordWorks(ACCOUNT, current())).isTrue();
        assertThat(reveal().path("pending")).as("the orphaned escrow was resolved").isEmpty();
    }

    @Test
    void chpasswdFailureAbortsTheEscrowAndTheOldPasswordStillWorks() throws Exception {
        String before = current();
        admin.ok("password", "rotate", hostname);
        sandbox.readOnly(true);
        ProcessResult failed = checkInFails();
        sandbox.readOnly(false);
        assertThat(failed.stderr()).containsIgnoringCase("chpasswd");

        assertThat(current()).isEqualTo(before);
        assertThat(reveal().path("pending")).as("aborted, not pending").isEmpty();
        assertThat(sandbox.passwordWorks(ACCOUNT, before)).isTrue();
        JsonNode history = admin.json("password", "history", hostname, "--reason", "check abort");
        assertThat(history.findValuesAsText("state")).contains("aborted");

        checkInSucceeds();
        assertThat(sandbox.passwordWorks(ACCOUNT, current())).isTrue();
    }

    @Test
    void agentKilledAfterSettingThePasswordCommitsOnItsNextRun() throws Exception {
        String before = current();
        admin.ok("password", "rotate", hostname);
        AtomicReference<Process> running = new AtomicReference<>();
        proxy.failNext(COMMIT, Fault.REFUSE, () -> running.get().destroyForcibly());
        running.set(agent.startCheckIn());
        ProcessResult killed = Processes.finish(running.get(), null, 120);
        assertThat(killed.exitCode()).as("killed by SIGKILL").isEqualTo(137);

        assertThat(sandbox.passwordWorks(ACCOUNT, before)).as("the new password was set").isFalse();
        JsonNode reveal = reveal();
        String pending = reveal.path("pending").get(0).path("password").asText();
        assertThat(sandbox.passwordWorks(ACCOUNT, pending)).as("the server reveals the password that works").isTrue();

        checkInSucceeds();
        assertThat(current()).isEqualTo(pending);
        assertThat(reveal().path("pending")).isEmpty();
    }

    @Test
    void serverKilledBetweenEscrowAndCommitStillRevealsThePasswordThatWorks() throws Exception {
        String before = current();
        admin.ok("password", "rotate", hostname);
        proxy.failNext(COMMIT, Fault.REFUSE, () -> {
            try {
                server.kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        checkInFails();
        assertThat(sandbox.passwordWorks(ACCOUNT, before)).isFalse();

        server = new ServerProcess(server.dataDir()).start();
        admin = new AdminCli(server, server.adminToken());
        assertThat(server.printedToken()).as("a restart prints no new token").isNull();
        String pending = reveal().path("pending").get(0).path("password").asText();
        assertThat(sandbox.passwordWorks(ACCOUNT, pending)).isTrue();

        checkInSucceeds();
        assertThat(current()).isEqualTo(pending);
        assertThat(sandbox.passwordWorks(ACCOUNT, current())).isTrue();
    }

    private JsonNode reveal() throws Exception {
        JsonNode reveal = admin.json("password", "get", hostname, "--reason", "fault test");
        reveal.findValuesAsText("password").forEach(revealed::add);
        return reveal;
    }

    private String current() throws Exception {
        return reveal().path("password").asText();
    }

    private void checkInSucceeds() throws Exception {
        ProcessResult result = agent.checkIn();
        assertThat(result.exitCode()).as(result.describe()).isZero();
    }

    private ProcessResult checkInFails() throws Exception {
        ProcessResult result = agent.checkIn();
        assertThat(result.exitCode()).as(result.describe()).isNotZero();
        return result;
    }
}
