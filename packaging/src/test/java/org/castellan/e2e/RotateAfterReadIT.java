package org.castellan.e2e;

import org.castellan.testsupport.Prerequisite;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rotate after read on the real chpasswd path: a help-desk user reads the password under a rule
 * that expires it on read, the agent's next check-in rotates it, and the revealed password stops
 * working and moves to history.
 */
class RotateAfterReadIT {
    private static final String ACCOUNT = "castellan-e2e";

    @BeforeAll
    static void needsSandbox() {
        String why = LinuxSandbox.whyUnavailable();
        Prerequisite.require(why == null, "the chpasswd sandbox (" + why + ")",
                "run as root on Linux with unshare (util-linux), passwd and perl installed");
    }

    @Test
    void aPasswordReadUnderARotateAfterReadRuleIsReplacedAtTheNextCheckIn(@TempDir Path tmp) throws Exception {
        LinuxSandbox sandbox = LinuxSandbox.create(tmp);
        sandbox.createAccount(ACCOUNT);
        try (ServerProcess server = new ServerProcess(tmp.resolve("data")).start()) {
            AdminCli admin = new AdminCli(server, server.adminToken());
            admin.ok("policy", "set", "default", "--account", ACCOUNT);
            String key = admin.json("registration-keys", "create", "--name", "rar").get("key").asText();
            AgentCli agent = new AgentCli(sandbox, tmp.resolve("agent-state"));
            assertThat(agent.register(server.url(), server.fingerprint(), key).exitCode()).isZero();
            assertThat(agent.checkIn().exitCode()).isZero();
            String hostname = admin.json("devices", "list").get(0).get("hostname").asText();

            String ann = admin.ok("users", "create", "ann", "--no-password").stdout().strip();
            String annToken = admin.ok("tokens", "create", "--user", ann, "--name", "cli").stdout().strip();
            admin.ok("rules", "create", "help-desk-reads-and-rotates", "--principal", "user:" + ann,
                    "--target", "all", "--permission", "password.read", "--rotate-after-read", "0");

            // Nothing is due before the read.
            String hashBefore = sandbox.shadowHash(ACCOUNT);
            assertThat(agent.checkIn().exitCode()).isZero();
            assertThat(sandbox.shadowHash(ACCOUNT)).isEqualTo(hashBefore);

            String read = admin.as(annToken).ok("password", "get", hostname, "--reason", "desk visit").stdout().strip();
            assertThat(sandbox.passwordWorks(ACCOUNT, read)).isTrue();

            ProcessResult checkIn = agent.checkIn();
            assertThat(checkIn.exitCode()).as(checkIn.describe()).isZero();
            assertThat(sandbox.passwordWorks(ACCOUNT, read)).as("the read password no longer works").isFalse();
            JsonNode now = admin.json("password", "get", hostname, "--reason", "verify rotation");
            assertThat(now.get("password").asText()).isNotEqualTo(read);
            assertThat(sandbox.passwordWorks(ACCOUNT, now.get("password").asText())).isTrue();
            JsonNode history = admin.json("password", "history", hostname, "--reason", "verify history");
            assertThat(history.toString()).contains(read);
            assertThat(admin.json("audit", "--action", "password.reveal", "--principal", "user:" + ann)
                    .findValuesAsText("outcome")).containsExactly("granted");
        }
    }
}
