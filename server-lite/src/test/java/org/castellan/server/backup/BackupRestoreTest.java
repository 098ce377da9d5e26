package org.castellan.server.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.castellan.server.CastellanServer;
import org.castellan.server.config.ServerConfig;
import org.castellan.server.testing.Cli;
import org.castellan.server.testing.SqliteOnly;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backup and restore with the real server over HTTPS and real SQLite: a backup taken while
 * agents escrow and admins reveal, restored into a fresh directory and served on another port,
 * gives back every password, the same TLS identity and devices, and an intact, anchored audit log.
 */
@SqliteOnly("backup and restore carry the embedded database; PostgreSQL's is pg_dump's (docs/backup.md)")
class BackupRestoreTest {
    static final String PASSPHRASE = "correct horse battery staple 42";

    @TempDir
    Path tmp;

    Path passphraseFile(String passphrase) throws Exception {
        Path file = tmp.resolve("pass-" + UUID.randomUUID());
        Files.writeString(file, passphrase + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    @Test
    void backupUnderLoadRestoresEveryPasswordOnAnotherServer() throws Exception {
        Path dataA = tmp.resolve("a");
        Path backupFile = tmp.resolve("castellan.backup");
        Path restored = tmp.resolve("restored");
        Map<String, String> before = new ConcurrentHashMap<>();
        Set<String> loadPasswords = ConcurrentHashMap.newKeySet();
        List<String> allSecrets = new CopyOnWriteArrayList<>();
        String fingerprint;
        String token;
        List<TestAgent> witnesses = new ArrayList<>();
        List<TestAgent> busy = new ArrayList<>();
        try (TestServer a = TestServer.start(dataA)) {
            token = a.adminToken;
            fingerprint = a.server.fingerprint();
            for (int i = 0; i < 4; i++) {
                TestAgent agent = new TestAgent(a).registered();
                String password = "Witness-" + i + "-" + UUID.randomUUID();
                String rotation = UUID.randomUUID().toString();
                assertThat(agent.escrow("root", rotation, password).status()).isEqualTo(201);
                assertThat(agent.commit(rotation).status()).isEqualTo(200);
                witnesses.add(agent);
                allSecrets.add(password);
            }
            for (TestAgent agent : witnesses) {
                before.put(agent.deviceId, reveal(a, agent.deviceId));
            }
            for (int i = 0; i < 2; i++) {
                busy.add(new TestAgent(a).registered());
            }

            // Load: two devices rotating, reveals of the witnesses, all while the backup runs.
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger escrows = new AtomicInteger();
            java.util.Set<String> committedOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();
            AtomicInteger reveals = new AtomicInteger();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (TestAgent agent : busy) {
                threads.add(new Thread(() -> {
                    try {
                        while (!stop.get()) {
                            String password = "Load-" + UUID.randomUUID();
                            loadPasswords.add(password);
                            allSecrets.add(password);
                            String rotation = UUID.randomUUID().toString();
                            assertThat(agent.escrow("root", rotation, password).status()).isEqualTo(201);
                            assertThat(agent.commit(rotation).status()).isEqualTo(200);
                            committedOnce.add(agent.deviceId);
                            escrows.incrementAndGet();
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            threads.add(new Thread(() -> {
                try {
                    while (!stop.get()) {
                        for (TestAgent agent : witnesses) {
                            assertThat(reveal(a, agent.deviceId)).isEqualTo(before.get(agent.deviceId));
                            reveals.incrementAndGet();
                        }
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
            threads.forEach(Thread::start);
            // Each busy device has a committed password before the backup starts (the restored server
            // must reveal one of its load passwords), not only five escrows in all.
            while (escrows.get() < 5 || reveals.get() < 5 || committedOnce.size() < busy.size()) {
                Thread.sleep(20);
            }
            int escrowsAtStart = escrows.get();
            int revealsAtStart = reveals.get();
            Cli.Run backup = Cli.run(null, "backup", "--data", dataA.toString(), "--output", backupFile.toString(),
                    "--passphrase-file", passphraseFile(PASSPHRASE).toString());
            int escrowsDuring = escrows.get() - escrowsAtStart;
            int revealsDuring = reveals.get() - revealsAtStart;
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
            assertThat(failures).as("the load itself never failed").isEmpty();
            assertThat(backup.code()).as(backup.describe()).isZero();
            assertThat(escrowsDuring).as("escrows ran while the backup was taken").isPositive();
            assertThat(revealsDuring).as("reveals ran while the backup was taken").isPositive();
            assertThat(Files.getPosixFilePermissions(backupFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

            // The running server's log records the backup (queued by the tool, chained by the server).
            a.server.drainToolAuditNow();
            JsonNode recorded = a.get("/api/v1/audit?action=backup.create").json();
            assertThat(recorded).hasSize(1);
            assertThat(recorded.get(0).get("detail").asText()).contains(backup.out().split(" ")[1]);

            // Nothing secret in plaintext: no password, no vault or anchor key, no token, no TLS key store password.
            List<byte[]> needles = new ArrayList<>();
            for (String s : allSecrets) {
                needles.add(s.getBytes(StandardCharsets.UTF_8));
            }
            needles.add(token.getBytes(StandardCharsets.UTF_8));
            try (Stream<Path> keys = Files.list(dataA.resolve("vault"))) {
                for (Path key : keys.filter(p -> p.toString().endsWith(".key")).toList()) {
                    String b64 = Files.readString(key).strip();
                    needles.add(b64.getBytes(StandardCharsets.US_ASCII));
                    needles.add(Base64.getDecoder().decode(b64));
                }
            }
            needles.add(Files.readAllBytes(dataA.resolve("audit/anchor.key")));
            try (Stream<Path> tls = Files.list(dataA.resolve("tls"))) {
                for (Path f : tls.toList()) {
                    byte[] content = Files.readAllBytes(f);
                    needles.add(content.length > 64 ? java.util.Arrays.copyOfRange(content, 0, 64) : content);
                }
            }
            byte[] file = Files.readAllBytes(backupFile);
            for (byte[] needle : needles) {
                assertThat(indexOf(file, needle)).as("a secret in plaintext in the backup").isEqualTo(-1);
            }
            assertThat(indexOf(file, "SQLite format".getBytes(StandardCharsets.US_ASCII))).isEqualTo(-1);

            Cli.Run restore = Cli.run(PASSPHRASE + "\n", "restore", "--input", backupFile.toString(),
                    "--data", restored.toString());
            assertThat(restore.code()).as(restore.describe()).isZero();
            Cli.Run verify = Cli.run(null, "audit", "verify", "--data", restored.toString());
            assertThat(verify.code()).as(verify.describe()).isZero();
            assertThat(verify.out()).contains("Audit log intact").doesNotContain("not anchored yet");

            // The restored server on another port, while the first still serves.
            CastellanServer b = CastellanServer.start(ServerConfig.of(restored, "127.0.0.1:0"));
            try (TestServer server = TestServer.attach(b, restored, token)) {
                assertThat(b.port()).isNotEqualTo(a.server.port());
                assertThat(b.fingerprint()).as("same TLS identity: agents' pins still hold").isEqualTo(fingerprint);
                for (TestAgent agent : witnesses) {
                    assertThat(reveal(server, agent.deviceId)).isEqualTo(before.get(agent.deviceId));
                }
                for (TestAgent agent : busy) {
                    assertThat(loadPasswords).contains(reveal(server, agent.deviceId));
                }
                TestAgent same = witnesses.get(0).on(server);
                assertThat(same.checkIn("root").status()).as("the device key is still known").isEqualTo(200);
                JsonNode restoredEntries = server.get("/api/v1/audit?action=server.restored").json();
                assertThat(restoredEntries).hasSize(1);
                assertThat(restoredEntries.get(0).get("detail").asText()).contains(backup.out().split(" ")[1]);
            }
            assertThat(Cli.run(null, "audit", "verify", "--data", restored.toString()).code()).isZero();
        }
    }

    @Test
    void wrongPassphraseIsAClearErrorAndWritesNothing() throws Exception {
        Path data = tmp.resolve("a");
        Path backupFile = tmp.resolve("b.backup");
        try (TestServer a = TestServer.start(data)) {
            new TestAgent(a).registered();
            assertThat(Cli.run(PASSPHRASE + "\n", "backup", "--data", data.toString(), "--output",
                    backupFile.toString()).code()).isZero();
        }
        Path target = tmp.resolve("restore-here");
        List<Path> siblingsBefore = list(tmp);
        Cli.Run wrong = Cli.run("not the passphrase at all\n", "restore", "--input", backupFile.toString(),
                "--data", target.toString());
        assertThat(wrong.code()).isEqualTo(1);
        assertThat(wrong.err()).contains("wrong recovery passphrase");
        assertThat(target).doesNotExist();
        assertThat(list(tmp)).isEqualTo(siblingsBefore);
    }

    @Test
    void alteredOrTruncatedBackupIsRefusedAndWritesNothing() throws Exception {
        Path data = tmp.resolve("a");
        Path backupFile = tmp.resolve("b.backup");
        try (TestServer a = TestServer.start(data)) {
            new TestAgent(a).registered();
            assertThat(Cli.run(PASSPHRASE + "\n", "backup", "--data", data.toString(), "--output",
                    backupFile.toString()).code()).isZero();
        }
        byte[] original = Files.readAllBytes(backupFile);
        byte[] flipped = original.clone();
        flipped[original.length - 40] ^= 1;
        Path altered = tmp.resolve("altered.backup");
        Files.write(altered, flipped);
        Path truncated = tmp.resolve("truncated.backup");
        Files.write(truncated, java.util.Arrays.copyOf(original, original.length - 100));
        byte[] changed = original.clone();
        int at = indexOf(changed, "\"createdAt\":\"20".getBytes(StandardCharsets.US_ASCII));
        assertThat(at).isPositive().isLessThan(1000);
        changed[at + "\"createdAt\":\"".length()] = '1'; // the plaintext header: authenticated by every chunk
        Path headerChanged = tmp.resolve("header.backup");
        Files.write(headerChanged, changed);
        for (Path bad : List.of(altered, truncated, headerChanged)) {
            Path target = tmp.resolve("target-" + bad.getFileName());
            List<Path> siblingsBefore = list(tmp);
            Cli.Run run = Cli.run(PASSPHRASE + "\n", "restore", "--input", bad.toString(), "--data", target.toString());
            assertThat(run.code()).as(bad + ": " + run.describe()).isEqualTo(1);
            assertThat(run.err()).as(bad.toString()).containsAnyOf("damaged", "wrong recovery passphrase");
            assertThat(target).doesNotExist();
            assertThat(list(tmp)).isEqualTo(siblingsBefore);
        }
    }

    @Test
    void restoreRefusesADataDirectoryThatIsNotEmpty() throws Exception {
        Path data = tmp.resolve("a");
        Path backupFile = tmp.resolve("b.backup");
        try (TestServer a = TestServer.start(data)) {
            assertThat(Cli.run(PASSPHRASE + "\n", "backup", "--data", data.toString(), "--output",
                    backupFile.toString()).code()).isZero();
        }
        Cli.Run run = Cli.run(PASSPHRASE + "\n", "restore", "--input", backupFile.toString(), "--data", data.toString());
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("not empty");
        Cli.Run again = Cli.run(PASSPHRASE + "\n", "backup", "--data", data.toString(), "--output", backupFile.toString());
        assertThat(again.code()).as("an existing backup is never overwritten").isEqualTo(1);
        Cli.Run shortPass = Cli.run("short\n", "backup", "--data", data.toString(), "--output",
                tmp.resolve("c.backup").toString());
        assertThat(shortPass.code()).isEqualTo(2);
        assertThat(tmp.resolve("c.backup")).doesNotExist();
    }

    static String reveal(TestServer server, String deviceId) throws Exception {
        TestServer.Reply reply = server.get("/api/v1/devices/" + deviceId + "/password?reason=backup%20test");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json().get("password").asText();
    }

    static List<Path> list(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
