package org.castellan.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import okhttp3.Request;
import org.castellan.protocol.AgentPaths;
import org.castellan.server.CastellanServer;
import org.castellan.server.audit.AuditAnchorException;
import org.castellan.server.audit.HeadAnchorFile;
import org.castellan.server.cli.ServerMain;
import org.castellan.server.config.ServerConfig;
import org.castellan.server.notify.DispatcherSettings;
import org.castellan.server.ratelimit.RateLimitSettings;
import org.castellan.server.ratelimit.RateWindow;
import org.castellan.server.testing.AdminApi;
import org.castellan.server.testing.OnPostgres;
import org.castellan.server.testing.PostgresqlOnly;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestServer;
import org.castellan.testsupport.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real server nodes (each its own data directory, HTTPS port and connection pool) on one real
 * PostgreSQL database, sharing the vault keys, the certificate and the audit anchor key as an
 * operator copies them: the guarantees that once rested on the single SQLite writer hold across
 * nodes, and when one node stops the other carries on.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@PostgresqlOnly("two server nodes on one PostgreSQL database")
class TwoNodesOnPostgresTest {
    /** Per hour, so a slow machine cannot let the window slide while the test counts. */
    static final RateLimitSettings LIMITS = RateLimitSettings.defaults()
            .withRevealWindows(List.of(RateWindow.perHour(10)));
    @TempDir
    static Path tmp;
    static PostgresServer.Database database;
    static Path passwordFile;
    static TestServer a;
    static TestServer b;

    @BeforeAll
    static void startTwoNodes() throws Exception {
        database = PostgresServer.shared().newDatabase("two_nodes");
        Path dirA = tmp.resolve("node-a");
        Path dirB = tmp.resolve("node-b");
        CastellanServer first = CastellanServer.start(config(dirA), Clock.systemUTC(), DispatcherSettings.defaults());
        String token = first.initialAdminToken().orElseThrow();
        a = TestServer.attach(first, dirA, token);
        shareKeys(dirA, dirB);
        CastellanServer second = CastellanServer.start(config(dirB), Clock.systemUTC(), DispatcherSettings.defaults());
        assertThat(second.initialAdminToken()).as("the second node finds the admin the first created").isEmpty();
        b = TestServer.attach(second, dirB, token);
        passwordFile = tmp.resolve("pgpass");
        Files.writeString(passwordFile, database.password() + "\n");
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
    }

    @AfterAll
    static void stop() {
        for (TestServer node : new TestServer[] {a, b}) {
            if (node != null) {
                try {
                    node.close();
                } catch (RuntimeException ignored) {
                    // already stopped by the failover test
                }
            }
        }
        if (database != null) {
            database.drop();
        }
    }

    static ServerConfig config(Path dir) {
        return TestServer.config(dir, LIMITS).withDatabase(OnPostgres.target(database));
    }

    /** What an operator copies to a new node: the whole data directory but this node's witness and the token. */
    static void shareKeys(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path rel = from.relativize(p);
                if (rel.toString().equals(HeadAnchorFile.DIRECTORY + "/" + HeadAnchorFile.HEAD)
                        || rel.toString().startsWith("initial-admin-token")) {
                    continue;
                }
                Files.copy(p, to.resolve(rel.toString()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    @Test
    @Order(1)
    void bothNodesServeTheSameCertificateAndData() throws Exception {
        assertThat(b.server.fingerprint()).isEqualTo(a.server.fingerprint());
        assertThat(a.server.url()).isNotEqualTo(b.server.url());
        TestAgent agent = new TestAgent(a).registered();
        JsonNode onB = b.get("/api/v1/devices?hostname=" + agent.hostname).json();
        assertThat(onB).hasSize(1);
        assertThat(onB.get(0).get("id").asText()).isEqualTo(agent.deviceId);
    }

    @Test
    @Order(2)
    void concurrentEscrowsAndRevealsOnBothNodesFormOneIntactAuditChain() throws Exception {
        List<TestAgent> agents = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            TestAgent agent = new TestAgent(i % 2 == 0 ? a : b).registered();
            withPassword(agent, "Pw-first");
            agents.add(agent);
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<String>> done = new ArrayList<>();
        for (int i = 0; i < agents.size(); i++) {
            TestAgent agent = agents.get(i);
            TestServer other = i % 2 == 0 ? b : a;
            done.add(pool.submit(() -> {
                String last = null;
                for (int r = 0; r < 5; r++) {
                    // Escrow on one node, commit on the other: the agent's failover in miniature.
                    String rotation = UUID.randomUUID().toString();
                    String password = "Pw-" + rotation;
                    assertThat(agent.escrow("root", rotation, password).status()).isEqualTo(201);
                    Request commit = agent.signed(AgentPaths.commit(rotation), "{}".getBytes(StandardCharsets.UTF_8),
                            Clock.systemUTC());
                    assertThat(other.call(commit.newBuilder().url(other.url(AgentPaths.commit(rotation))).build())
                            .status()).isEqualTo(200);
                    last = password;
                }
                return last;
            }));
        }
        List<Future<Integer>> reveals = new ArrayList<>();
        for (int i = 0; i < 4; i++) { // the admin's reveals are limited too (10 an hour, see LIMITS)
            TestServer node = i % 2 == 0 ? a : b;
            String device = agents.get(i % agents.size()).deviceId;
            reveals.add(pool.submit(() -> node.get("/api/v1/devices/" + device + "/password?reason=load").status()));
        }
        for (Future<String> f : done) {
            f.get();
        }
        for (Future<Integer> f : reveals) {
            assertThat(f.get()).isEqualTo(200);
        }
        pool.shutdown();
        for (TestAgent agent : agents) {
            JsonNode current = b.get("/api/v1/devices/" + agent.deviceId + "/password?reason=check").json();
            assertThat(current.get("password").asText()).startsWith("Pw-");
        }
        assertThat(auditVerify()).contains("Audit log intact");
        assertThat(a.server.verifyAuditChainNow().broken()).isFalse();
        assertThat(b.server.verifyAuditChainNow().broken()).isFalse();
    }

    @Test
    @Order(3)
    void aRevealLimitIsReachedAcrossNodes() throws Exception {
        AdminApi admin = new AdminApi(a);
        String userId = admin.user("ann", "correct horse battery staple");
        String token = admin.token(userId);
        TestAgent agent = withPassword(new TestAgent(a).registered(), "Limit-1");
        admin.rule(Map.of("name", "ann reads", "principals", List.of("user:" + userId), "targets", List.of("all"),
                "permissions", List.of("password.read")));
        String path = "/api/v1/devices/" + agent.deviceId + "/password?reason=limit";
        for (int i = 0; i < 10; i++) {
            assertThat((i % 2 == 0 ? a : b).getWithToken(path, token).status()).as("reveal %d", i + 1).isEqualTo(200);
        }
        assertThat(b.getWithToken(path, token).status()).as("the 11th, on either node").isEqualTo(429);
        assertThat(a.getWithToken(path, token).status()).isEqualTo(429);
    }

    @Test
    @Order(4)
    void aLoginLockoutSetOnOneNodeHoldsOnTheOther() throws Exception {
        AdminApi admin = new AdminApi(a);
        admin.user("bob", "the right password for bob");
        for (int i = 0; i < 5; i++) {
            TestServer node = i % 2 == 0 ? a : b;
            assertThat(node.post("/api/v1/sessions", Map.of("name", "bob", "password", "wrong " + i)).status())
                    .isEqualTo(401);
        }
        TestServer.Reply locked = b.post("/api/v1/sessions", Map.of("name", "bob", "password", "the right password for bob"));
        assertThat(locked.status()).isEqualTo(429);
        assertThat(locked.error()).isEqualTo("locked-out");
        assertThat(a.post("/api/v1/sessions", Map.of("name", "bob", "password", "the right password for bob")).status())
                .isEqualTo(429);
    }

    @Test
    @Order(5)
    void aRequestReplayedToTheOtherNodeIsRefused() throws Exception {
        TestAgent agent = new TestAgent(a).registered();
        Request once = agent.signed(AgentPaths.CHECK_IN, TestAgent.bytes(agent.checkInRequest("root")), Clock.systemUTC());
        assertThat(a.call(once).status()).isEqualTo(200);
        Request replay = once.newBuilder().url(b.url(AgentPaths.CHECK_IN)).build();
        TestServer.Reply refused = b.call(replay);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.error()).isEqualTo("replayed-request");
    }

    @Test
    @Order(6)
    void aRaceOfOneRequestOnBothNodesAcceptsItOnceAndNever5xx() throws Exception {
        TestAgent agent = new TestAgent(a).registered();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int round = 0; round < 5; round++) {
            Request once = agent.signed(AgentPaths.CHECK_IN, TestAgent.bytes(agent.checkInRequest("root")), Clock.systemUTC());
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                TestServer node = i % 2 == 0 ? a : b;
                Request copy = once.newBuilder().url(node.url(AgentPaths.CHECK_IN)).build();
                answers.add(pool.submit(() -> node.call(copy).status()));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : answers) {
                statuses.add(f.get());
            }
            assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
            assertThat(statuses).filteredOn(s -> s != 200).containsOnly(401);
        }
        pool.shutdown();
    }

    @Test
    @Order(7)
    void parallelRegistrationsOnBothNodesStopAtMaxUses() throws Exception {
        String key = a.post("/api/v1/registration-keys", Map.of("name", "three", "maxUses", 3)).json().get("key").asText();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            TestAgent agent = new TestAgent(i % 2 == 0 ? a : b);
            answers.add(pool.submit(() -> agent.register(key).status()));
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> f : answers) {
            statuses.add(f.get());
        }
        pool.shutdown();
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(3);
        assertThat(statuses).filteredOn(s -> s != 201).containsOnly(403);
    }

    @Test
    @Order(8)
    void theScheduledPurgeRunsOnOneNodeAtATimeAndMovesWhenItStops() {
        int onA = a.server.purgeHistoryAsScheduled();
        int onB = b.server.purgeHistoryAsScheduled();
        assertThat(List.of(onA, onB)).as("exactly one node runs it").filteredOn(n -> n >= 0).hasSize(1);
        assertThat(a.server.purgeHistoryAsScheduled()).as("and keeps running it").isEqualTo(onA < 0 ? -1 : 0);
    }

    @Test
    @Order(9)
    void whenOneNodeStopsTheOtherCarriesOnWithItsJobsAndItsData() throws Exception {
        TestAgent agent = new TestAgent(a).registered();
        String rotation = UUID.randomUUID().toString();
        assertThat(agent.escrow("root", rotation, "Before-The-Stop").status()).isEqualTo(201);
        boolean aLeads = a.server.purgeHistoryAsScheduled() >= 0;
        TestServer leader = aLeads ? a : b;
        TestServer survivor = aLeads ? b : a;
        String leaderUrl = leader.url("/healthz");
        leader.close();
        assertThat(survivor.server.purgeHistoryAsScheduled()).as("the survivor takes the job over").isGreaterThanOrEqualTo(0);
        // The agent's next request goes to the survivor (the agent tries the next URL on a connection failure).
        assertThatThrownBy(() -> survivor.call(new Request.Builder().url(leaderUrl).build()))
                .isInstanceOf(IOException.class);
        agent.on(survivor);
        assertThat(agent.commit(rotation).status()).isEqualTo(200);
        JsonNode current = survivor.get("/api/v1/devices/" + agent.deviceId + "/password?reason=failover").json();
        assertThat(current.get("password").asText()).isEqualTo("Before-The-Stop");
        assertThat(auditVerify()).contains("Audit log intact");
    }

    @Test
    @Order(10)
    void truncatingTheAuditTableStopsServeAndFailsVerify() throws Exception {
        TestServer survivor = isUp(a) ? a : b;
        Path dir = survivor.dataDir;
        survivor.close();
        database.sql("DELETE FROM audit_log WHERE id > (SELECT MAX(id) - 3 FROM audit_log)");
        assertThat(auditVerifyExit(dir)).isEqualTo(1);
        assertThatThrownBy(() -> CastellanServer.start(config(dir)).close())
                .isInstanceOf(AuditAnchorException.class)
                .hasMessageContaining("entries are missing");
        database.sql("TRUNCATE audit_log");
        assertThat(auditVerifyExit(dir)).isEqualTo(1);
        assertThatThrownBy(() -> CastellanServer.start(config(dir)).close())
                .isInstanceOf(AuditAnchorException.class);
        // Wiping the chain head row as well does not make it look like a first start: the key is still there.
        database.sql("DELETE FROM audit_chain_head");
        assertThatThrownBy(() -> CastellanServer.start(config(dir)).close())
                .isInstanceOf(AuditAnchorException.class)
                .hasMessageContaining("chain head row is missing");
        // The operator investigated (say, a deliberate restore): the audited re-anchor is the way back.
        assertThat(ServerMain.execute("audit", "re-anchor", "--data", dir.toString(), "--database", database.url(),
                "--database-password-file", passwordFile.toString(), "--reason", "restored on purpose (test)"))
                .isEqualTo(0);
        try (CastellanServer again = CastellanServer.start(config(dir))) {
            assertThat(again.verifyAuditChainNow().broken()).isFalse();
        }
        assertThat(auditVerifyExit(dir)).isEqualTo(0);
        assertThat(database.sql("SELECT action FROM audit_log ORDER BY id LIMIT 1")).isEqualTo("audit.re-anchor");
    }

    static TestAgent withPassword(TestAgent agent, String password) throws Exception {
        String rotation = UUID.randomUUID().toString();
        assertThat(agent.escrow("root", rotation, password).status()).isEqualTo(201);
        assertThat(agent.commit(rotation).status()).isEqualTo(200);
        return agent;
    }

    private static boolean isUp(TestServer node) {
        try {
            return node.server.port() > 0 && node.get("/healthz").status() == 200;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String auditVerify() throws IOException {
        TestServer up = isUp(a) ? a : b;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = ServerMain.execute("audit", "verify", "--data", up.dataDir.toString(), "--database", database.url(),
                    "--database-password-file", passwordFile.toString());
        } finally {
            System.setOut(old);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(text).isEqualTo(0);
        return text;
    }

    private static int auditVerifyExit(Path dir) {
        return ServerMain.execute("audit", "verify", "--data", dir.toString(), "--database", database.url(),
                "--database-password-file", passwordFile.toString());
    }
}
