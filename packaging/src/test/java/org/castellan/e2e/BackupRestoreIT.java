package org.castellan.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.castellan.protocol.Json;
import org.castellan.testsupport.Prerequisite;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lost-disk story with the real jars: the real agent rotates the sandbox account with the real
 * chpasswd; a backup is taken while simulated devices escrow and an admin reveals; it is restored
 * into a fresh directory and served on another port, where the password revealed before the
 * backup is revealed again and logs in against the sandbox's shadow file. Then the restored
 * server's vault directory is deleted and rebuilt from 2 of 3 recovery shares: the password
 * reveals and logs in again.
 */
class BackupRestoreIT {
    static final String ACCOUNT = "castellan-bkp";
    static final String PASSPHRASE = "four random words here please";

    @BeforeAll
    static void needsSandbox() {
        String why = LinuxSandbox.whyUnavailable();
        Prerequisite.require(why == null, "the chpasswd sandbox (" + why + ")",
                "run as root on Linux with unshare (util-linux), passwd and perl installed");
    }

    static ProcessResult server(String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(TestJvm.jar(Processes.jar("castellan-server.jar")));
        command.addAll(List.of(args));
        return Processes.run(command, Map.of(), stdin);
    }

    @Test
    void backupUnderLoadRestoresOnAnotherPortAndSharesRebuildTheVault(@TempDir Path tmp) throws Exception {
        LinuxSandbox sandbox = LinuxSandbox.create(tmp);
        sandbox.createAccount(ACCOUNT);
        Path dataA = tmp.resolve("server-data");
        Path restored = tmp.resolve("restored-data");
        Path backup = tmp.resolve("castellan-backup.bin");
        String password;
        String hostname;
        String token;
        String fingerprint;
        Set<String> loadPasswords = ConcurrentHashMap.newKeySet();
        // Reveal limits high enough for the load's reveals (the default is 10 a minute per principal).
        Path config = tmp.resolve("server.json");
        Files.writeString(config, "{\"revealLimits\":\"100000/minute\"}");
        try (ServerProcess a = new ServerProcess(dataA).start(List.of(), List.of("--config", config.toString()), null)) {
            token = a.adminToken();
            fingerprint = a.fingerprint();
            AdminCli admin = new AdminCli(a, token);
            admin.ok("policy", "set", "default", "--account", ACCOUNT, "--length", "24");
            String key = admin.json("registration-keys", "create", "--name", "bkp", "--max-uses", "3").get("key").asText();
            AgentCli agent = new AgentCli(sandbox, tmp.resolve("agent-state"));
            ProcessResult registered = agent.register(a.url(), a.fingerprint(), key);
            assertThat(registered.exitCode()).as(registered.describe()).isZero();
            ProcessResult checkIn = agent.checkIn();
            assertThat(checkIn.exitCode()).as(checkIn.describe()).isZero();
            JsonNode listed = admin.json("devices", "list").get(0);
            hostname = listed.get("hostname").asText();
            String deviceId = listed.get("id").asText();
            password = admin.ok("password", "get", hostname, "--reason", "before backup").stdout().strip();
            assertThat(sandbox.passwordWorks(ACCOUNT, password)).isTrue();

            List<SimulatedAgent> devices = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                SimulatedAgent device = new SimulatedAgent(a, "busy-" + i);
                device.register(key, "linux");
                devices.add(device);
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger escrows = new AtomicInteger();
            AtomicInteger reveals = new AtomicInteger();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            List<Thread> load = new ArrayList<>();
            for (SimulatedAgent device : devices) {
                load.add(new Thread(() -> {
                    try {
                        while (!stop.get()) {
                            String next = "Load-" + UUID.randomUUID();
                            loadPasswords.add(next);
                            device.rotateTo("root", next);
                            escrows.incrementAndGet();
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            load.add(new Thread(() -> {
                try {
                    while (!stop.get()) {
                        RawApi.Answer answer = RawApi.get(a, "/api/v1/devices/" + deviceId + "/password?reason=load", token);
                        assertThat(answer.status()).isEqualTo(200);
                        assertThat(Json.mapper().readTree(answer.body()).get("password").asText()).isEqualTo(password);
                        reveals.incrementAndGet();
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
            load.forEach(Thread::start);
            while (escrows.get() < 3 || reveals.get() < 3) {
                Thread.sleep(20);
            }
            int escrowsBefore = escrows.get();
            int revealsBefore = reveals.get();
            ProcessResult backedUp = server(PASSPHRASE + "\n", "backup", "--data", dataA.toString(), "--output",
                    backup.toString(), "--config", config.toString());
            int escrowsDuring = escrows.get() - escrowsBefore;
            int revealsDuring = reveals.get() - revealsBefore;
            stop.set(true);
            for (Thread t : load) {
                t.join();
            }
            assertThat(failures).isEmpty();
            assertThat(backedUp.exitCode()).as(backedUp.describe()).isZero();
            assertThat(escrowsDuring).as("escrows during the backup").isPositive();
            assertThat(revealsDuring).as("reveals during the backup").isPositive();
            assertThat(Files.getPosixFilePermissions(backup)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(backedUp.stdout() + backedUp.stderr()).doesNotContain(password);
            // The running server chains the tool's audit event within seconds.
            JsonNode recorded = null;
            for (int i = 0; i < 300 && (recorded == null || recorded.isEmpty()); i++) {
                recorded = Json.mapper().readTree(RawApi.get(a, "/api/v1/audit?action=backup.create", token).body());
                Thread.sleep(100);
            }
            assertThat(recorded).hasSize(1);
        }
        List<String> secrets = new ArrayList<>(loadPasswords);
        secrets.add(password);
        secrets.add(token);
        Path backupOnly = tmp.resolve("backup-only");
        Files.createDirectory(backupOnly);
        Files.copy(backup, backupOnly.resolve("file"));
        PlaintextScan.assertAbsent(secrets, backupOnly);

        ProcessResult wrong = server("not the right passphrase\n", "restore", "--input", backup.toString(),
                "--data", restored.toString());
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.stderr()).contains("wrong recovery passphrase");
        assertThat(restored).doesNotExist();

        ProcessResult restore = server(PASSPHRASE + "\n", "restore", "--input", backup.toString(), "--data",
                restored.toString());
        assertThat(restore.exitCode()).as(restore.describe()).isZero();
        ProcessResult verify = server(null, "audit", "verify", "--data", restored.toString());
        assertThat(verify.exitCode()).as(verify.describe()).isZero();

        List<String> shares;
        try (ServerProcess b = new ServerProcess(restored).start()) {
            assertThat(b.fingerprint()).as("the agents' pin still holds").isEqualTo(fingerprint);
            AdminCli admin = new AdminCli(b, token);
            String again = admin.ok("password", "get", hostname, "--reason", "after restore").stdout().strip();
            assertThat(again).isEqualTo(password);
            assertThat(sandbox.passwordWorks(ACCOUNT, again)).isTrue();
            assertThat(Json.mapper().readTree(RawApi.get(b, "/api/v1/audit?action=server.restored", token).body()))
                    .hasSize(1);
            assertThat(restored.resolve("restored-config").toFile().list()).containsExactly("0-server.json");

            ProcessResult split = server(null, "vault", "shares", "--split", "2-of-3", "--data", restored.toString());
            assertThat(split.exitCode()).as(split.describe()).isZero();
            shares = split.stdout().lines().filter(l -> l.startsWith("castellan-vault-share:")).toList();
            assertThat(shares).hasSize(3);
        }
        try (Stream<Path> walk = Files.walk(restored.resolve("vault"))) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        ProcessResult one = server(shares.get(1) + "\n", "vault", "recover", "--data", restored.toString());
        assertThat(one.exitCode()).isEqualTo(1);
        assertThat(restored.resolve("vault")).doesNotExist();
        ProcessResult recover = server(shares.get(2) + "\n" + shares.get(1) + "\n", "vault", "recover", "--data",
                restored.toString());
        assertThat(recover.exitCode()).as(recover.describe()).isZero();
        try (ServerProcess b = new ServerProcess(restored).start()) {
            String deviceId = Json.mapper().readTree(RawApi.get(b, "/api/v1/devices?hostname=" + hostname, token).body())
                    .get(0).get("id").asText();
            String again = Json.mapper().readTree(RawApi.get(b, "/api/v1/devices/" + deviceId
                    + "/password?reason=after%20vault%20recovery", token).body()).get("password").asText();
            assertThat(again).isEqualTo(password);
            assertThat(sandbox.passwordWorks(ACCOUNT, again)).isTrue();
            assertThat(Json.mapper().readTree(RawApi.get(b, "/api/v1/audit?action=vault.recover", token).body()))
                    .hasSize(1);
        }
        assertThat(server(null, "audit", "verify", "--data", restored.toString()).exitCode()).isZero();
    }
}
