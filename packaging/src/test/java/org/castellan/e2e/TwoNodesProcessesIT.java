package org.castellan.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.castellan.testsupport.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guarantees that hold across nodes, checked on two real server processes (the packaged jar,
 * each its own JVM, data directory and port) on one real PostgreSQL: a counter or a nonce cache
 * kept in one process's memory cannot pass these, as it could with two servers in one JVM
 * (server-lite's {@code TwoNodesOnPostgresTest}). The nodes share the vault keys, certificate and
 * anchor key as an operator copies them ({@link TwoNodesFailoverIT#copyKeys}); one pair serves the
 * whole class. Devices are {@link SimulatedAgent}s: the real agent protocol, each with its own
 * Ed25519 key.
 */
class TwoNodesProcessesIT {
    /** The limit under test, configured on both nodes; the reveals below take seconds, not the minute. */
    private static final int REVEALS_PER_MINUTE = 10;
    @TempDir static Path tmp;
    private static PostgresServer.Database database;
    private static ServerProcess nodeA;
    private static ServerProcess nodeB;
    private static AdminCli viaA;
    private static AdminCli viaB;

    @BeforeAll
    static void startTwoNodes() throws Exception {
        database = PostgresServer.shared().newDatabase("two_processes");
        Path passwordFile = tmp.resolve("db-password");
        Files.writeString(passwordFile, database.password() + "\n");
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
        Path config = tmp.resolve("server.json");
        Files.writeString(config, "{\"revealLimits\":\"" + REVEALS_PER_MINUTE + "/minute\"}\n");
        List<String> serve = List.of("--config", config.toString(), "--database", database.url(),
                "--database-password-file", passwordFile.toString());
        nodeA = new ServerProcess(tmp.resolve("node-a")).start(List.of(), serve, null);
        String token = nodeA.adminToken();
        TwoNodesFailoverIT.copyKeys(nodeA.dataDir(), tmp.resolve("node-b"));
        nodeB = new ServerProcess(tmp.resolve("node-b")).start(List.of(), serve, null);
        assertThat(nodeB.fingerprint()).as("one certificate for both nodes").isEqualTo(nodeA.fingerprint());
        assertThat(nodeB.pid()).as("two processes").isNotEqualTo(nodeA.pid());
        assertThat(nodeB.url()).isNotEqualTo(nodeA.url());
        viaA = new AdminCli(nodeA, token);
        viaB = new AdminCli(nodeB, token);
    }

    @AfterAll
    static void stop() throws Exception {
        for (ServerProcess node : new ServerProcess[] {nodeA, nodeB}) {
            if (node != null) {
                node.close();
            }
        }
        if (database != null) {
            database.drop();
        }
    }

    private static ServerProcess node(int i) {
        return i % 2 == 0 ? nodeA : nodeB;
    }

    @Test
    void theEleventhRevealInAMinuteIsRefusedOnEitherNode() throws Exception {
        // A principal of its own (the limit is per principal), allowed to read every device.
        String ann = viaA.ok("users", "create", "ann-limits", "--no-password").stdout().strip();
        String annToken = viaB.ok("tokens", "create", "--user", ann, "--name", "reveal limit").stdout().strip();
        viaA.ok("rules", "create", "ann-reads-all", "--principal", "user:" + ann, "--target", "all",
                "--permission", "password.read");
        String key = viaB.json("registration-keys", "create", "--name", "limits").get("key").asText();
        SimulatedAgent device = new SimulatedAgent(nodeA, "limit-host");
        String deviceId = device.register(key, "linux");
        device.rotateTo("root", "Limit-Password-0001!");
        String path = "/api/v1/devices/" + deviceId + "/password?reason=limit";

        Instant first = Instant.now();
        for (int i = 0; i < REVEALS_PER_MINUTE; i++) {
            RawApi.Answer reveal = RawApi.get(node(i), path, annToken);
            assertThat(reveal.status()).as("reveal %d, on node %s: %s", i + 1, i % 2 == 0 ? "A" : "B", reveal.body())
                    .isEqualTo(200);
            assertThat(reveal.body()).contains("Limit-Password-0001!");
        }
        // Five reveals on each node: a count kept per process would let the 11th through on either.
        ProcessResult eleventh = viaB.as(annToken).run("password", "get", "limit-host", "--reason", "the 11th");
        String window = "(10 reveals and the 11th within " + Duration.between(first, Instant.now()).toSeconds() + " s)";
        assertThat(eleventh.exitCode()).as("the 11th, on node B, through the CLI " + window + ": " + eleventh.describe())
                .isEqualTo(1);
        assertThat(eleventh.stdout()).doesNotContain("Limit-Password");
        assertThat(eleventh.stderr()).contains("rate-limited", "HTTP 429").containsPattern("retry after \\d+ second");
        RawApi.Answer twelfth = RawApi.get(nodeA, path, annToken);
        assertThat(twelfth.status()).as("the 12th, on node A " + window + ": " + twelfth.body()).isEqualTo(429);
        assertThat(twelfth.error()).isEqualTo("rate-limited");
        assertThat(twelfth.body()).doesNotContain("Limit-Password");
        assertThat(twelfth.retryAfter()).as("Retry-After").isNotNull();
        assertThat(Integer.parseInt(twelfth.retryAfter())).isBetween(1, 60);
    }

    @Test
    void aCheckInAcceptedByOneNodeIsRefusedAsAReplayByTheOther() throws Exception {
        String key = viaA.json("registration-keys", "create", "--name", "replay").get("key").asText();
        SimulatedAgent device = new SimulatedAgent(nodeA, "replay-host");
        device.register(key, "linux");

        SimulatedAgent.Signed once = device.signedCheckIn("root");
        RawApi.Answer accepted = device.send(nodeA, once);
        assertThat(accepted.status()).as("node A: " + accepted.body()).isEqualTo(200);
        RawApi.Answer replayed = device.send(nodeB, once);
        assertThat(replayed.status()).as("the same bytes and headers to node B: " + replayed.body()).isEqualTo(401);
        assertThat(replayed.error()).isEqualTo("replayed-request");
        RawApi.Answer again = device.send(nodeA, once);
        assertThat(again.status()).as("and back to node A").isEqualTo(401);
        assertThat(again.error()).isEqualTo("replayed-request");
        RawApi.Answer fresh = device.send(nodeB, device.signedCheckIn("root"));
        assertThat(fresh.status()).as("node B takes the device's next, freshly signed check-in: " + fresh.body())
                .isEqualTo(200);

        // The same request on both nodes at the same moment: accepted once, the rest 401, never a 5xx.
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            for (int round = 0; round < 3; round++) {
                SimulatedAgent.Signed racing = device.signedCheckIn("root");
                List<Callable<RawApi.Answer>> copies = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    ServerProcess node = node(i);
                    copies.add(() -> device.send(node, racing));
                }
                List<Integer> statuses = new ArrayList<>();
                List<String> errors = new ArrayList<>();
                for (Future<RawApi.Answer> answer : pool.invokeAll(copies)) {
                    statuses.add(answer.get().status());
                    if (answer.get().status() != 200) {
                        errors.add(answer.get().error());
                    }
                }
                assertThat(statuses).as("round %d", round + 1).filteredOn(s -> s == 200).hasSize(1);
                assertThat(statuses).as("round %d", round + 1).filteredOn(s -> s != 200).containsOnly(401);
                assertThat(errors).containsOnly("replayed-request");
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void parallelRegistrationsOnBothNodesStopAtMaxUses() throws Exception {
        JsonNode created = viaA.json("registration-keys", "create", "--name", "three-uses", "--max-uses", "3");
        String key = created.get("key").asText();
        String keyId = created.get("id").asText();
        List<Callable<RawApi.Answer>> registrations = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            SimulatedAgent device = new SimulatedAgent(node(i), "race-" + i); // each with a key of its own
            registrations.add(() -> device.tryRegister(key, "linux"));
        }
        List<RawApi.Answer> answers = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (Future<RawApi.Answer> answer : pool.invokeAll(registrations)) {
                answers.add(answer.get());
            }
        } finally {
            pool.shutdown();
        }
        List<Integer> statuses = answers.stream().map(RawApi.Answer::status).toList();
        // Four attempts on each node: a use count kept per process would let three through on each.
        assertThat(statuses).as(answers.toString()).filteredOn(s -> s == 201).hasSize(3);
        List<RawApi.Answer> refused = answers.stream().filter(a -> a.status() != 201).toList();
        assertThat(refused).as(answers.toString()).allSatisfy(a -> {
            assertThat(a.status()).isEqualTo(403);
            assertThat(a.error()).isEqualTo("registration-key-used-up");
        });

        for (AdminCli admin : List.of(viaA, viaB)) {
            JsonNode listed = null;
            for (JsonNode k : admin.json("registration-keys", "list")) {
                if (k.get("id").asText().equals(keyId)) {
                    listed = k;
                }
            }
            assertThat(listed).as("the key in registration-keys list").isNotNull();
            assertThat(listed.get("uses").asInt()).isEqualTo(3);
        }
        long raceDevices = 0;
        for (JsonNode device : viaB.json("devices", "list")) {
            raceDevices += device.get("hostname").asText().startsWith("race-") ? 1 : 0;
        }
        assertThat(raceDevices).as("devices registered").isEqualTo(3);
    }
}
