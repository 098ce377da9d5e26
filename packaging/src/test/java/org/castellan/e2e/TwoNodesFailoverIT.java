package org.castellan.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.castellan.testsupport.PostgresServer;
import org.castellan.testsupport.Prerequisite;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real server processes (the packaged jar) on one real PostgreSQL, the real agent jar with the
 * real chpasswd in a mount namespace, registered with both URLs: node A is killed with SIGKILL at a
 * random moment of a rotation, and the agent and the CLI carry on through node B; every password
 * the server reveals logs in; the audit chain written by both nodes verifies.
 */
class TwoNodesFailoverIT {
    private static final String ACCOUNT = "castellan-e2e";
    @TempDir Path tmp;
    private PostgresServer.Database database;
    private final List<ServerProcess> nodes = new ArrayList<>();
    private final List<String> revealed = new ArrayList<>();

    @BeforeAll
    static void needsSandboxAndPostgres() {
        String why = LinuxSandbox.whyUnavailable();
        Prerequisite.require(why == null, "the chpasswd sandbox (" + why + ")",
                "run as root on Linux with unshare (util-linux), passwd and perl installed");
        PostgresServer.shared();
    }

    @AfterEach
    void stop() throws Exception {
        for (ServerProcess node : nodes) {
            node.close();
        }
        if (database != null) {
            database.drop();
        }
    }

    @Test
    void agentAndCliCarryOnThroughTheOtherNodeWhenOneIsKilledMidRotation() throws Exception {
        database = PostgresServer.shared().newDatabase("failover");
        Path passwordFile = tmp.resolve("db-password");
        Files.writeString(passwordFile, database.password() + "\n");
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
        List<String> onDatabase = List.of("--database", database.url(), "--database-password-file", passwordFile.toString());

        ServerProcess nodeA = start(tmp.resolve("node-a"), onDatabase);
        String token = nodeA.adminToken();
        copyKeys(nodeA.dataDir(), tmp.resolve("node-b"));
        ServerProcess nodeB = start(tmp.resolve("node-b"), onDatabase);
        assertThat(nodeB.printedToken()).as("the second node prints no token").isNull();
        assertThat(nodeB.fingerprint()).as("one certificate for both nodes").isEqualTo(nodeA.fingerprint());
        AdminCli viaA = new AdminCli(nodeA, token);
        AdminCli viaB = new AdminCli(nodeB, token);

        LinuxSandbox sandbox = LinuxSandbox.create(tmp);
        sandbox.createAccount(ACCOUNT);
        viaA.ok("policy", "set", "default", "--account", ACCOUNT);
        String key = viaB.json("registration-keys", "create", "--name", "two nodes").get("key").asText();
        AgentCli agent = new AgentCli(sandbox, tmp.resolve("agent-state"));
        ProcessResult registered = agent.register(nodeA.url() + "," + nodeB.url(), nodeA.fingerprint(), key);
        assertThat(registered.exitCode()).as(registered.describe()).isZero();
        assertThat(agent.checkIn().exitCode()).isZero();
        String hostname = viaA.json("devices", "list").get(0).get("hostname").asText();
        assertThat(sandbox.passwordWorks(ACCOUNT, current(viaB, hostname))).isTrue();

        // A rotation through node A, which dies at a random moment of it.
        viaB.ok("password", "rotate", hostname);
        Process checkIn = agent.startCheckIn();
        Thread.sleep(new SecureRandom().nextInt(1500));
        nodeA.kill();
        ProcessResult first = Processes.finish(checkIn, null, 120);
        JsonNode afterKill = reveal(viaB, hostname);
        boolean oneWorks = false;
        for (String candidate : afterKill.findValuesAsText("password")) {
            oneWorks |= sandbox.passwordWorks(ACCOUNT, candidate);
        }
        assertThat(oneWorks).as("B reveals (as current or pending) the password that works, after: "
                + first.describe()).isTrue();

        // The agent's next runs go to node B: a pending rotation is resolved, new rotations work.
        for (int i = 0; i < 2; i++) {
            ProcessResult again = agent.checkIn();
            assertThat(again.exitCode()).as(again.describe()).isZero();
        }
        assertThat(reveal(viaB, hostname).path("pending")).isEmpty();
        assertThat(sandbox.passwordWorks(ACCOUNT, current(viaB, hostname))).isTrue();
        viaB.ok("password", "rotate", hostname);
        assertThat(agent.checkIn().exitCode()).isZero();
        assertThat(sandbox.passwordWorks(ACCOUNT, current(viaB, hostname))).isTrue();

        // Entries from both nodes, one chain.
        ProcessResult verify = Processes.run(List.of(Processes.java(), "-jar", Processes.jar("castellan-server.jar").toString(),
                "audit", "verify", "--data", nodeB.dataDir().toString(), "--database", database.url(),
                "--database-password-file", passwordFile.toString()), Map.of(), null);
        assertThat(verify.exitCode()).as(verify.describe()).isZero();
        assertThat(verify.stdout()).contains("Audit log intact");
        PlaintextScan.assertAbsent(revealed, nodeB.dataDir(), agent.stateDir());
    }

    private ServerProcess start(Path dir, List<String> args) throws Exception {
        ServerProcess node = new ServerProcess(dir).start(List.of(), args, null);
        nodes.add(node);
        return node;
    }

    /** What an operator copies to a new node: the data directory but the node's own witness and the token. */
    private static void copyKeys(Path from, Path to) throws Exception {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                String rel = from.relativize(p).toString();
                if (rel.equals("audit/head") || rel.startsWith("initial-admin-token")) {
                    continue;
                }
                Files.copy(p, to.resolve(rel), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    private JsonNode reveal(AdminCli admin, String hostname) throws Exception {
        JsonNode reveal = admin.json("password", "get", hostname, "--reason", "failover test");
        reveal.findValuesAsText("password").forEach(revealed::add);
        return reveal;
    }

    private String current(AdminCli admin, String hostname) throws Exception {
        return reveal(admin, hostname).path("password").asText();
    }
}
