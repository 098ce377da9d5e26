package org.castellan.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.castellan.testsupport.Prerequisite;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Just-in-time admin rights end to end, everything real: the server jar over HTTPS (behind a proxy
 * so it can be stopped and started again on another port), the CLI jar, the agent jar in a mount
 * namespace over a copy of /etc with the real sudo and visudo. A help desk asks for a user's
 * rights from the CLI under a rule that needs a second person; the requester's own approval is
 * refused; the approver's starts the right; the agent grants it (sudo lists it) and keeps it
 * across a restart; with the server stopped the right is gone at its end, and the agent reports
 * it once the server is back.
 */
class JitIT {
    private static final String ACCOUNT = "castellan-e2e";
    private static final String JIT_USER = "castellan-jit-e2e";

    @BeforeAll
    static void needsSandbox() {
        String why = LinuxSandbox.whyUnavailable();
        Prerequisite.require(why == null, "the chpasswd sandbox (" + why + ")",
                "run as root on Linux with unshare (util-linux), passwd and perl installed");
        Prerequisite.requireExecutable("/usr/bin/sudo", "sudo");
        Prerequisite.requireExecutable("/usr/sbin/visudo", "sudo");
    }

    @Test
    void aHelpDeskGrantsAdminRightsFromTheCliAndTheyEndOnTimeWithTheServerDown(@TempDir Path tmp) throws Exception {
        LinuxSandbox sandbox = LinuxSandbox.create(tmp);
        sandbox.createAccount(ACCOUNT);
        sandbox.createAccount(JIT_USER);
        Path dropIn = sandbox.etc().resolve("sudoers.d").resolve("castellan-jit-" + JIT_USER);
        ServerProcess[] server = {new ServerProcess(tmp.resolve("data")).start()};
        try (FaultProxy proxy = new FaultProxy(() -> server[0])) {
            AdminCli admin = new AdminCli(server[0], server[0].adminToken());
            admin.ok("policy", "set", "default", "--account", ACCOUNT);
            String key = admin.json("registration-keys", "create", "--name", "jit").get("key").asText();
            AgentCli agent = new AgentCli(sandbox, tmp.resolve("agent-state"));
            assertThat(agent.register(proxy.url(), proxy.fingerprint(), key).exitCode()).isZero();
            assertThat(agent.checkIn().exitCode()).isZero();
            String hostname = admin.json("devices", "list").get(0).get("hostname").asText();

            String desk = admin.ok("users", "create", "desk", "--no-password").stdout().strip();
            String boss = admin.ok("users", "create", "boss", "--no-password").stdout().strip();
            AdminCli deskCli = admin.as(admin.ok("tokens", "create", "--user", desk, "--name", "cli").stdout().strip());
            AdminCli bossCli = admin.as(admin.ok("tokens", "create", "--user", boss, "--name", "cli").stdout().strip());
            admin.ok("rules", "create", "help-desk-jit", "--principal", "user:" + desk, "--principal", "user:" + boss,
                    "--target", "all", "--permission", "device.jit", "--require-reason", "--require-approval");

            String id = deskCli.ok("jit", "request", hostname, "--user", JIT_USER, "--for", "1m", "--reason",
                    "install printer driver").stdout().strip();
            ProcessResult self = deskCli.run("jit", "approve", id, "--reason", "me");
            assertThat(self.exitCode()).as(self.describe()).isEqualTo(1);
            assertThat(self.stderr()).contains("someone other than its requester");
            assertThat(agent.checkIn().exitCode()).isZero();
            assertThat(Files.exists(dropIn)).as("nothing is granted before a second person approves").isFalse();

            ProcessResult approved = bossCli.ok("jit", "approve", id, "--reason", "ticket 7");
            assertThat(approved.stdout()).contains("approved: admin rights for " + JIT_USER);
            Instant end = Instant.parse(bossCli.json("jit", "list", hostname).get(0).get("expiresAt").asText());

            ProcessResult checkIn = agent.checkIn();
            assertThat(checkIn.exitCode()).as(checkIn.describe()).isZero();
            ProcessResult listed = Processes.run(sandbox.wrap(List.of("sudo", "-l", "-U", JIT_USER)), Map.of(), null);
            assertThat(listed.stdout()).contains("User " + JIT_USER + " may run the following commands")
                    .contains("NOTAFTER=");
            assertThat(sudoAllows(sandbox)).isTrue();
            // A restart in the middle (every check-in is a fresh agent process) keeps the grant and its end.
            assertThat(agent.checkIn().exitCode()).isZero();
            assertThat(Files.exists(dropIn)).isTrue();
            assertThat(bossCli.json("jit", "list", hostname).get(0).get("agentState").asText()).isEqualTo("granted");

            server[0].close();
            long ms = Duration.between(Instant.now(), end.plusSeconds(1)).toMillis();
            if (ms > 0) {
                Thread.sleep(ms);
            }
            ProcessResult unreachable = agent.checkIn();
            assertThat(unreachable.exitCode()).as("the server is down: " + unreachable.describe()).isNotZero();
            assertThat(Files.exists(dropIn)).as("the agent removed the right at its end, server or not").isFalse();
            assertThat(sudoAllows(sandbox)).isFalse();

            server[0] = new ServerProcess(tmp.resolve("data")).start();
            admin = new AdminCli(server[0], server[0].adminToken());
            assertThat(agent.checkIn().exitCode()).isZero();
            JsonNode after = admin.json("jit", "list", hostname).get(0);
            assertThat(after.get("status").asText()).isEqualTo("expired");
            assertThat(after.get("agentState").asText()).isEqualTo("expired");
            assertThat(admin.json("audit", "--action", "jit.approve").findValuesAsText("outcome"))
                    .containsExactlyInAnyOrder("denied", "granted");
            assertThat(admin.json("audit", "--action", "jit.expired").findValuesAsText("principal")).hasSize(1);
        } finally {
            server[0].close();
        }
    }

    private static boolean sudoAllows(LinuxSandbox sandbox) throws Exception {
        return Processes.run(sandbox.wrap(List.of("sudo", "-l", "-U", JIT_USER, "/usr/bin/true")), Map.of(), null)
                .exitCode() == 0;
    }
}
