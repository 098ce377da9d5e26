package org.castellan.e2e;

import org.castellan.testsupport.Prerequisite;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path for real: the server jar over HTTPS with its SQLite file, the agent jar running
 * the real chpasswd in a private mount namespace, and the admin CLI jar reading the password back.
 */
class EndToEndIT {
    static final String ACCOUNT = "castellan-e2e";

    @BeforeAll
    static void needsSandbox() {
        String why = LinuxSandbox.whyUnavailable();
        Prerequisite.require(why == null, "the chpasswd sandbox (" + why + ")",
                "run as root on Linux with unshare (util-linux), passwd and perl installed");
    }

    @Test
    void deviceRegistersRotatesAndAdminReadsAPasswordThatLogsIn(@TempDir Path tmp) throws Exception {
        LinuxSandbox sandbox = LinuxSandbox.create(tmp);
        sandbox.createAccount(ACCOUNT);
        try (ServerProcess server = new ServerProcess(tmp.resolve("server-data")).start()) {
            assertThat(server.printedToken()).as("first start prints the bootstrap token").isNotBlank();
            assertThat(server.adminToken()).isEqualTo(server.printedToken());
            AdminCli admin = new AdminCli(server, server.adminToken());
            admin.ok("policy", "set", "default", "--account", ACCOUNT, "--length", "24");
            String key = admin.json("registration-keys", "create", "--name", "e2e", "--max-uses", "1").get("key").asText();

            AgentCli agent = new AgentCli(sandbox, tmp.resolve("agent-state"));
            ProcessResult registered = agent.register(server.url(), server.fingerprint(), key);
            assertThat(registered.exitCode()).as(registered.describe()).isZero();
            String hashBefore = sandbox.shadowHash(ACCOUNT);

            ProcessResult checkIn = agent.checkIn();
            assertThat(checkIn.exitCode()).as(checkIn.describe()).isZero();
            assertThat(sandbox.shadowHash(ACCOUNT)).as("chpasswd changed the sandbox account").isNotEqualTo(hashBefore);

            String hostname = admin.json("devices", "list").get(0).get("hostname").asText();
            ProcessResult get = admin.ok("password", "get", hostname, "--reason", "e2e login check");
            String password = get.stdout().stripTrailing();
            assertThat(get.stdout()).as("the password alone on stdout").isEqualTo(password + "\n");
            assertThat(password).hasSize(24);
            assertThat(sandbox.passwordWorks(ACCOUNT, password)).as("revealed password logs in").isTrue();

            // An admin asks for a rotation; the next check-in rotates and the old one moves to history.
            admin.ok("password", "rotate", hostname);
            ProcessResult second = agent.checkIn();
            assertThat(second.exitCode()).as(second.describe()).isZero();
            String rotated = admin.ok("password", "get", hostname, "--reason", "after rotate").stdout().strip();
            assertThat(rotated).isNotEqualTo(password);
            assertThat(sandbox.passwordWorks(ACCOUNT, rotated)).isTrue();
            assertThat(sandbox.passwordWorks(ACCOUNT, password)).isFalse();
            JsonNode history = admin.json("password", "history", hostname, "--reason", "audit");
            assertThat(history.findValuesAsText("password")).contains(password, rotated);

            // Nothing due: a check-in changes nothing.
            String hash = sandbox.shadowHash(ACCOUNT);
            assertThat(agent.checkIn().exitCode()).isZero();
            assertThat(sandbox.shadowHash(ACCOUNT)).isEqualTo(hash);

            // Secrets never leak sideways: not in the server's output nor the agent's.
            assertThat(server.output()).doesNotContain(password).doesNotContain(rotated);
            assertThat(checkIn.stdout() + checkIn.stderr() + second.stdout() + second.stderr())
                    .doesNotContain(password).doesNotContain(rotated);
            assertThat(agent.status().stdout()).doesNotContain(password).doesNotContain(rotated);
            PlaintextScan.assertAbsent(java.util.List.of(password, rotated), server.dataDir(), agent.stateDir());
        }
    }
}
