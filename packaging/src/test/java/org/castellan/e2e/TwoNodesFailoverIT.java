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
import java.util.Random;
import java.util.stream.Stream;
import org.castellan.testsupport.PostgresServer;
import org.castellan.testsupport.Prerequisite;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real server processes (the packaged jar) on one real PostgreSQL, the real agent jar with the
 * real chpasswd in a mount namespace, registered with both URLs. Three rounds: a rotation through
 * one node, which is killed with SIGKILL at a random moment of it (nodes alternate: A, B, A), and
 * restarted where the agent expects it; the agent and the CLI carry on through the other node.
 * Every password the server reveals logs in against the sandbox's shadow file; the audit chain
 * written by both nodes verifies. The random seed is printed; {@code -Dcastellan.failover.seed=N}
 * replays a run's kill points.
 */
class TwoNodesFailoverIT {
    private static final String ACCOUNT = "castellan-e2e";
    private static final int KILLS = 3;
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
    void agentAndCliCarryOnThroughTheOtherNodeWhenEitherIsKilledMidRotation() throws Exception {
        long seed = Long.getLong("castellan.failover.seed", new SecureRandom().nextLong());
        String replay = "seed " + seed + " (replay with -Dcastellan.failover.seed=" + seed + ")";
        System.out.println("TwoNodesFailoverIT: " + replay);
        Random random = new Random(seed);
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

        for (int kill = 0; kill < KILLS; kill++) {
            ServerProcess victim = kill % 2 == 0 ? nodeA : nodeB;
            ServerProcess survivor = victim == nodeA ? nodeB : nodeA;
            AdminCli viaSurvivor = survivor == nodeA ? viaA : viaB;
            String round = "kill " + (kill + 1) + " of node " + (victim == nodeA ? "A" : "B") + ", " + replay;
            // The agent talks to the victim first (a running agent prefers the node that answered last).
            preferFirst(agent, victim, survivor);

            // A rotation through the victim, which dies at a random moment of it.
            viaSurvivor.ok("password", "rotate", hostname);
            Process checkIn = agent.startCheckIn();
            Thread.sleep(random.nextInt(1500));
            victim.kill();
            ProcessResult first = Processes.finish(checkIn, null, 120);
            JsonNode afterKill = reveal(viaSurvivor, hostname);
            boolean oneWorks = false;
            for (String candidate : afterKill.findValuesAsText("password")) {
                oneWorks |= sandbox.passwordWorks(ACCOUNT, candidate);
            }
            assertThat(oneWorks).as(round + ": the survivor reveals (as current or pending) the password that works,"
                    + " after: " + first.describe()).isTrue();

            // Back where the agent expects it; the agent's next runs resolve a pending rotation.
            victim.start(List.of(), onDatabase, null);
            for (int i = 0; i < 2; i++) {
                ProcessResult again = agent.checkIn();
                assertThat(again.exitCode()).as(round + ": " + again.describe()).isZero();
            }
            assertThat(reveal(viaSurvivor, hostname).path("pending")).as(round).isEmpty();
            assertThat(sandbox.passwordWorks(ACCOUNT, current(viaSurvivor, hostname))).as(round).isTrue();
        }

        // Entries from both nodes, one chain.
        ProcessResult verify = Processes.run(Processes.withArgs(TestJvm.jar(Processes.jar("castellan-server.jar")),
                "audit", "verify", "--data", nodeB.dataDir().toString(), "--database", database.url(),
                "--database-password-file", passwordFile.toString()), Map.of(), null);
        assertThat(verify.exitCode()).as(verify.describe() + "; " + replay).isZero();
        assertThat(verify.stdout()).contains("Audit log intact");
        PlaintextScan.assertAbsent(revealed, nodeA.dataDir(), nodeB.dataDir(), agent.stateDir());
    }

    /** Puts {@code first}'s URL first in the agent's server list ({@code agent.json}). */
    private static void preferFirst(AgentCli agent, ServerProcess first, ServerProcess second) throws Exception {
        Path state = agent.stateDir().resolve("agent.json");
        com.fasterxml.jackson.databind.node.ObjectNode json =
                (com.fasterxml.jackson.databind.node.ObjectNode) org.castellan.protocol.Json.mapper().readTree(state.toFile());
        json.put("server", first.url() + "," + second.url());
        Files.write(state, org.castellan.protocol.Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
    }

    private ServerProcess start(Path dir, List<String> args) throws Exception {
        ServerProcess node = new ServerProcess(dir).listenOn(freePort()).start(List.of(), args, null);
        nodes.add(node);
        return node;
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** What an operator copies to a new node: the data directory but the node's own witness and the token. */
    static void copyKeys(Path from, Path to) throws Exception {
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
