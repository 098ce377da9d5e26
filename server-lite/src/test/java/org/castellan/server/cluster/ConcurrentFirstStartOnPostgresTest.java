package org.castellan.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.castellan.server.CastellanServer;
import org.castellan.server.audit.AuditAnchorException;
import org.castellan.server.audit.HeadAnchorFile;
import org.castellan.server.files.SecureFiles;
import org.castellan.server.testing.PostgresqlOnly;
import org.castellan.server.testing.OnPostgres;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestServer;
import org.castellan.server.tls.TlsFiles;
import org.castellan.server.users.Bootstrap;
import org.castellan.server.vault.SharedVaultKeys;
import org.castellan.server.vault.VaultKeyFiles;
import org.castellan.testsupport.PostgresServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real server nodes started at the same moment on one fresh, empty PostgreSQL database. They
 * take the cluster's start-up lock in turn, so migrations, the audit chain head row and the
 * bootstrap admin are made once: with the keys provisioned on both beforehand, both come up, one
 * of them with the bootstrap token, and serve the same data; without them, the second refuses
 * (naming what to copy) instead of forking the cluster with keys of its own.
 */
@PostgresqlOnly("two nodes starting at once on one fresh PostgreSQL database")
class ConcurrentFirstStartOnPostgresTest {
    @TempDir
    Path tmp;
    PostgresServer.Database database;
    final List<CastellanServer> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(CastellanServer::stop);
        if (database != null) {
            database.drop();
        }
    }

    /** Both started on a signal; each outcome is the server or what its start threw. */
    private List<Future<CastellanServer>> startAtOnce(Path... dirs) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(dirs.length);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<CastellanServer>> outcomes = new ArrayList<>();
        for (Path dir : dirs) {
            outcomes.add(pool.submit(() -> {
                go.await();
                CastellanServer server = CastellanServer.start(
                        TestServer.config(dir, TestServer.GENEROUS).withDatabase(OnPostgres.target(database)));
                synchronized (started) {
                    started.add(server);
                }
                return server;
            }));
        }
        go.countDown();
        pool.shutdown();
        return outcomes;
    }

    @RepeatedTest(3)
    void twoNodesWithTheSameKeysStartedAtOnceBothComeUpWithOneBootstrapAdmin() throws Exception {
        database = PostgresServer.shared().newDatabase("first_start");
        Path dirA = tmp.resolve("node-a");
        Path dirB = tmp.resolve("node-b");
        provisionKeys(dirA);
        copyTree(dirA, dirB);

        List<Future<CastellanServer>> outcomes = startAtOnce(dirA, dirB);
        CastellanServer a = outcomes.get(0).get();
        CastellanServer b = outcomes.get(1).get();

        List<String> tokens = Stream.of(a, b).map(CastellanServer::initialAdminToken).flatMap(Optional::stream).toList();
        assertThat(tokens).as("exactly one node bootstrapped the admin").hasSize(1);
        assertThat(Stream.of(dirA, dirB).filter(d -> Files.exists(d.resolve(Bootstrap.TOKEN_FILE)))).hasSize(1);
        assertThat(database.sql("SELECT count(*) FROM users")).isEqualTo("1");
        assertThat(database.sql("SELECT count(*) FROM api_tokens")).isEqualTo("1");
        assertThat(database.sql("SELECT count(*) FROM audit_chain_head")).isEqualTo("1");
        assertThat(b.fingerprint()).isEqualTo(a.fingerprint());

        TestServer onA = TestServer.attach(a, dirA, tokens.get(0));
        TestServer onB = TestServer.attach(b, dirB, tokens.get(0));
        TestAgent agent = new TestAgent(onA).registered();
        assertThat(onB.get("/api/v1/devices?hostname=" + agent.hostname).json().get(0).get("id").asText())
                .isEqualTo(agent.deviceId);
        assertThat(agent.on(onB).checkIn("root").status()).as("the vault and device keys work on both").isEqualTo(200);
        assertThat(a.verifyAuditChainNow().broken()).isFalse();
        assertThat(b.verifyAuditChainNow().broken()).isFalse();
    }

    @Test
    void aNodeWithoutTheFirstNodesKeysStartedAtTheSameMomentRefusesInsteadOfForking() throws Exception {
        database = PostgresServer.shared().newDatabase("first_start_unshared");
        Path dirA = tmp.resolve("node-a");
        Path dirB = tmp.resolve("node-b");

        List<Future<CastellanServer>> outcomes = startAtOnce(dirA, dirB);
        List<CastellanServer> up = new ArrayList<>();
        List<Throwable> refused = new ArrayList<>();
        for (Future<CastellanServer> outcome : outcomes) {
            try {
                up.add(outcome.get());
            } catch (ExecutionException e) {
                refused.add(e.getCause());
            }
        }
        assertThat(up).as("the first to take the start-up lock comes up").hasSize(1);
        assertThat(up.get(0).initialAdminToken()).isPresent();
        assertThat(refused).singleElement().isInstanceOfSatisfying(AuditAnchorException.class,
                e -> assertThat(e.getMessage()).contains("copy it from the first node"));
        assertThat(database.sql("SELECT count(*) FROM users")).isEqualTo("1");
    }

    @Test
    void aNodeWithAVaultOfItsOwnIsRefusedAndSaysToCopyTheVault() throws Exception {
        database = PostgresServer.shared().newDatabase("first_start_vault");
        Path dirA = tmp.resolve("node-a");
        Path dirB = tmp.resolve("node-b");
        provisionKeys(dirA);
        copyTree(dirA, dirB);
        try (Stream<Path> vault = Files.list(dirB.resolve("vault"))) {
            for (Path p : (Iterable<Path>) vault::iterator) {
                Files.delete(p); // the operator copied the certificate and the anchor key, but not the vault
            }
        }
        new VaultKeyFiles(dirB).loadOrCreate(new SecureRandom());

        List<Future<CastellanServer>> outcomes = startAtOnce(dirA, dirB);
        List<Throwable> refused = new ArrayList<>();
        int up = 0;
        for (Future<CastellanServer> outcome : outcomes) {
            try {
                outcome.get();
                up++;
            } catch (ExecutionException e) {
                refused.add(e.getCause());
            }
        }
        assertThat(up).isEqualTo(1);
        assertThat(refused).singleElement().isInstanceOfSatisfying(SharedVaultKeys.Mismatch.class,
                e -> assertThat(e.getMessage()).contains("is not the cluster's").contains("Copy vault/"));
        assertThat(database.sql("SELECT count(*) FROM cluster_vault_keys")).isEqualTo("1");
    }

    /** What an operator prepares once and gives every node: vault keys, TLS certificate, audit anchor key. */
    static void provisionKeys(Path dir) throws Exception {
        SecureRandom random = new SecureRandom();
        SecureFiles.createPrivateDirectory(dir);
        new VaultKeyFiles(dir).loadOrCreate(random);
        new TlsFiles(dir).loadOrCreate(random, Instant.now());
        new HeadAnchorFile(dir).createKey(random);
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Files.copy(p, to.resolve(from.relativize(p).toString()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }
}
