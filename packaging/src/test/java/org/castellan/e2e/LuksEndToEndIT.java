package org.castellan.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.castellan.protocol.Json;
import org.castellan.testsupport.Prerequisite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LUKS recovery keys end to end: the real agent jar (in the sandbox, as root) runs the real
 * cryptsetup on LUKS2 image files against the real server over HTTPS, through {@link FaultProxy}
 * so it can be killed between steps. The images use PBKDF2 with 1000 iterations, and the agent is
 * told to do the same for its slots ({@code CASTELLAN_LUKS_FAST_KDF_FOR_TESTS}), to keep the test
 * fast; a real volume keeps cryptsetup's default KDF. One server for the class; each test has its
 * own image and device.
 */
class LuksEndToEndIT {
    private static final String ACCOUNT = "castellan-luks";
    private static final String ORIGINAL = "the laptop owner's passphrase";
    private static final String CRYPTSETUP = "/usr/sbin/cryptsetup";

    @TempDir
    static Path tmp;
    static LinuxSandbox sandbox;
    static ServerProcess server;
    static FaultProxy proxy;
    static AdminCli admin;
    static Path unlockKey;
    static String registrationKey;

    @BeforeAll
    static void start() throws Exception {
        String why = LinuxSandbox.whyUnavailable();
        Prerequisite.require(why == null, "the chpasswd sandbox (" + why + ")",
                "run as root on Linux with unshare (util-linux), passwd and perl installed");
        Prerequisite.requireExecutable(CRYPTSETUP, "cryptsetup-bin");
        sandbox = LinuxSandbox.create(tmp);
        sandbox.createAccount(ACCOUNT);
        server = new ServerProcess(tmp.resolve("server-data")).start();
        proxy = new FaultProxy(() -> server);
        admin = new AdminCli(server, server.adminToken());
        unlockKey = tmp.resolve("luks-unlock.key");
        admin.ok("policy", "set", "default", "--account", ACCOUNT, "--luks", "true",
                "--luks-unlock-key-file", unlockKey.toString());
        registrationKey = admin.json("registration-keys", "create", "--name", "luks", "--max-uses", "20").get("key").asText();
        writeUnlockKey();
    }

    @AfterAll
    static void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static void writeUnlockKey() throws IOException {
        Files.deleteIfExists(unlockKey);
        Files.createFile(unlockKey, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r--------")));
        Files.writeString(unlockKey, ORIGINAL);
    }

    /** One laptop: a LUKS2 image whose slot 0 opens with {@link #ORIGINAL}, and an agent registered for it. */
    private record Laptop(Path image, AgentCli agent, String deviceId, String hostname) {
        List<String> checkInCommand() {
            return agent.command("check-in");
        }
    }

    private static Map<String, String> agentEnv(Path image) {
        return Map.of("CASTELLAN_LUKS_DEVICES", image.toString(), "CASTELLAN_LUKS_FAST_KDF_FOR_TESTS", "true");
    }

    private static Laptop laptop(String name) throws Exception {
        Path dir = Files.createDirectory(tmp.resolve(name));
        Path image = dir.resolve("disk.img");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(20L * 1024 * 1024);
        }
        ProcessResult format = Processes.run(List.of(CRYPTSETUP, "luksFormat", "--type", "luks2", "--pbkdf", "pbkdf2",
                "--pbkdf-force-iterations", "1000", "--batch-mode", "--key-file", "-", image.toString()), Map.of(), ORIGINAL);
        assertThat(format.exitCode()).as(format.describe()).isZero();
        AgentCli agent = new AgentCli(sandbox, dir.resolve("agent-state"));
        ProcessResult registered = agent.register(proxy.url(), proxy.fingerprint(), registrationKey);
        assertThat(registered.exitCode()).as(registered.describe()).isZero();
        String deviceId = Json.mapper().readTree(Files.readString(agent.stateDir().resolve("agent.json"))).get("deviceId").asText();
        // Every laptop here is this machine, so they share a host name: reads pick the device by id.
        String hostname = admin.json("devices", "list").get(0).get("hostname").asText();
        return new Laptop(image, agent, deviceId, hostname);
    }

    private static ProcessResult checkIn(Laptop laptop) throws Exception {
        return Processes.finish(Processes.start(laptop.checkInCommand(), agentEnv(laptop.image()), null), null, 120);
    }

    private static JsonNode keys(Laptop laptop, AdminCli as) throws Exception {
        return as.json("recovery-key", "get", laptop.hostname(), "--device-id", laptop.deviceId(), "--reason", "test");
    }

    private static JsonNode device(Laptop laptop) throws Exception {
        for (JsonNode d : admin.json("devices", "list")) {
            if (d.get("id").asText().equals(laptop.deviceId())) {
                return d;
            }
        }
        throw new AssertionError("no device " + laptop.deviceId());
    }

    private static List<JsonNode> luks(JsonNode keys, boolean current) {
        List<JsonNode> found = new ArrayList<>();
        keys.forEach(k -> {
            if ("luks".equals(k.path("kind").asText()) && k.get("removedAt").isNull() == current) {
                found.add(k);
            }
        });
        return found;
    }

    /** cryptsetup open --test-passphrase, slot {@code slot} alone (any when negative). */
    private static boolean opens(Path image, String passphrase, int slot) throws Exception {
        List<String> command = new ArrayList<>(List.of(CRYPTSETUP, "open", "--test-passphrase"));
        if (slot >= 0) {
            command.addAll(List.of("--key-slot", String.valueOf(slot)));
        }
        command.addAll(List.of("--key-file", "-", image.toString()));
        ProcessResult r = Processes.run(command, Map.of(), passphrase);
        assertThat(r.exitCode()).as(r.describe()).isIn(0, 2);
        return r.exitCode() == 0;
    }

    private static JsonNode header(Path image) throws Exception {
        ProcessResult dump = Processes.run(List.of(CRYPTSETUP, "luksDump", "--dump-json-metadata", image.toString()),
                Map.of(), null);
        assertThat(dump.exitCode()).as(dump.describe()).isZero();
        return Json.mapper().readTree(dump.stdout());
    }

    private static Set<String> slots(Path image) throws Exception {
        Set<String> slots = new java.util.TreeSet<>();
        header(image).get("keyslots").fieldNames().forEachRemaining(slots::add);
        return slots;
    }

    @Test
    void theEscrowedKeyOpensTheImageAndAReadUnderRotateAfterReadReplacesItWithNoPassphraseInAnyArgv() throws Exception {
        Laptop laptop = laptop("rotate");
        JsonNode slot0Before = header(laptop.image()).get("keyslots").get("0");

        ProcessResult first;
        List<String> seen;
        try (CmdlineWatch watch = CmdlineWatch.start()) {
            first = checkIn(laptop);
            seen = watch.seen();
        }
        assertThat(first.exitCode()).as(first.describe()).isZero();
        List<JsonNode> current = luks(keys(laptop, admin), true);
        assertThat(current).hasSize(1);
        assertThat(current.get(0).has("pending")).as("committed").isFalse();
        assertThat(current.get(0).get("volumeLabel").asText()).isEqualTo(laptop.image().toString());
        String escrowed = current.get(0).get("recoveryKey").asText();
        assertThat(opens(laptop.image(), escrowed, 1)).as("the escrowed key opens the image").isTrue();
        assertThat(opens(laptop.image(), ORIGINAL, 0)).isTrue();
        assertThat(seen).as("the watch saw cryptsetup run").anyMatch(l -> l.contains("cryptsetup luksAddKey"))
                .anyMatch(l -> l.contains("cryptsetup open --test-passphrase"));
        assertThat(seen).as("no passphrase in any argv").noneMatch(l -> l.contains(escrowed))
                .noneMatch(l -> l.contains(ORIGINAL));

        // The help desk reads it under a rule that rotates after a read; the next check-in replaces it.
        String ann = admin.ok("users", "create", "ann-luks", "--no-password").stdout().strip();
        String annToken = admin.ok("tokens", "create", "--user", ann, "--name", "cli").stdout().strip();
        admin.ok("rules", "create", "desk-reads-luks", "--principal", "user:" + ann, "--target", "device:" + laptop.deviceId(),
                "--permission", "recovery-key.read", "--rotate-after-read", "0");
        AdminCli desk = admin.as(annToken);
        String read = luks(keys(laptop, desk), true).get(0).get("recoveryKey").asText();
        assertThat(read).isEqualTo(escrowed);

        ProcessResult second;
        List<String> seenSecond;
        try (CmdlineWatch watch = CmdlineWatch.start()) {
            second = checkIn(laptop);
            seenSecond = watch.seen();
        }
        assertThat(second.exitCode()).as(second.describe()).isZero();
        JsonNode after = keys(laptop, admin);
        List<JsonNode> now = luks(after, true);
        assertThat(now).hasSize(1);
        String replacement = now.get(0).get("recoveryKey").asText();
        assertThat(replacement).isNotEqualTo(read);
        assertThat(opens(laptop.image(), replacement, -1)).isTrue();
        assertThat(opens(laptop.image(), read, -1)).as("the read key no longer opens the image").isFalse();
        assertThat(luks(after, false)).extracting(k -> k.get("recoveryKey").asText()).as("the old key is history")
                .containsExactly(read);
        assertThat(header(laptop.image()).get("keyslots").get("0")).as("the original slot is untouched")
                .isEqualTo(slot0Before);
        assertThat(opens(laptop.image(), ORIGINAL, 0)).isTrue();
        assertThat(slots(laptop.image())).containsExactly("0", "2");
        assertThat(seenSecond).anyMatch(l -> l.contains("cryptsetup luksKillSlot"))
                .noneMatch(l -> l.contains(replacement)).noneMatch(l -> l.contains(read)).noneMatch(l -> l.contains(ORIGINAL));
        assertThat(admin.json("audit", "--action", "recovery-key.reveal", "--principal", "user:" + ann)
                .findValuesAsText("outcome")).containsExactly("granted");
    }

    @Test
    void killedBetweenThePendingEscrowAndLuksAddKeyTheServerHoldsAPendingKeyAndTheNextRunRetiresIt() throws Exception {
        Laptop laptop = laptop("kill-before-add");
        AtomicReference<Process> running = new AtomicReference<>();
        proxy.afterNext("/api/v1/agent/luks-keys", () -> running.get().destroyForcibly());
        running.set(Processes.start(laptop.checkInCommand(), agentEnv(laptop.image()), null));
        ProcessResult killed = Processes.finish(running.get(), null, 120);
        assertThat(killed.exitCode()).as("killed by SIGKILL: " + killed.describe()).isEqualTo(137);

        JsonNode pending = luks(keys(laptop, admin), true).get(0);
        assertThat(pending.get("pending").asBoolean()).isTrue();
        assertThat(slots(laptop.image())).as("no slot was added").containsExactly("0");
        assertThat(header(laptop.image()).get("tokens").size()).isZero();

        ProcessResult next = checkIn(laptop);

        assertThat(next.exitCode()).as(next.describe()).isZero();
        JsonNode keys = keys(laptop, admin);
        assertThat(luks(keys, false)).as("the pending key was retired").extracting(k -> k.get("protectorId").asText())
                .containsExactly(pending.get("protectorId").asText());
        List<JsonNode> current = luks(keys, true);
        assertThat(current).hasSize(1);
        assertThat(current.get(0).has("pending")).isFalse();
        assertThat(opens(laptop.image(), current.get(0).get("recoveryKey").asText(), 1)).isTrue();
        assertThat(opens(laptop.image(), ORIGINAL, 0)).isTrue();
        assertThat(slots(laptop.image())).containsExactly("0", "1");
    }

    @Test
    void killedBetweenLuksAddKeyAndCommitTheSlotOpensWithThePendingKeyAndTheNextRunRemovesIt() throws Exception {
        Laptop laptop = laptop("kill-before-commit");
        AtomicReference<Process> running = new AtomicReference<>();
        proxy.failNext("/luks-keys/commit", FaultProxy.Fault.REFUSE, () -> {
            running.get().destroyForcibly();
            try {
                running.get().waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        running.set(Processes.start(laptop.checkInCommand(), agentEnv(laptop.image()), null));
        ProcessResult killed = Processes.finish(running.get(), null, 120);
        assertThat(killed.exitCode()).as("killed by SIGKILL: " + killed.describe()).isEqualTo(137);

        JsonNode pending = luks(keys(laptop, admin), true).get(0);
        assertThat(pending.get("pending").asBoolean()).isTrue();
        String pendingKey = pending.get("recoveryKey").asText();
        assertThat(slots(laptop.image())).containsExactly("0", "1");
        assertThat(opens(laptop.image(), pendingKey, 1)).as("the slot left behind opens with the key the server reveals")
                .isTrue();

        ProcessResult next = checkIn(laptop);

        assertThat(next.exitCode()).as(next.describe()).isZero();
        JsonNode keys = keys(laptop, admin);
        assertThat(luks(keys, false)).extracting(k -> k.get("protectorId").asText())
                .containsExactly(pending.get("protectorId").asText());
        List<JsonNode> current = luks(keys, true);
        assertThat(current).hasSize(1);
        String fresh = current.get(0).get("recoveryKey").asText();
        assertThat(opens(laptop.image(), pendingKey, -1)).as("the leftover slot was removed").isFalse();
        assertThat(opens(laptop.image(), fresh, -1)).isTrue();
        assertThat(opens(laptop.image(), ORIGINAL, 0)).isTrue();
        assertThat(header(laptop.image()).get("tokens").size()).as("one Castellan token").isEqualTo(1);
    }

    @Test
    void withoutTheUnlockKeyFileTheAgentReportsLuksNeedsUnlockKeyAndChangesNothing() throws Exception {
        Laptop laptop = laptop("no-unlock-key");
        String before = header(laptop.image()).toString();
        Files.delete(unlockKey);
        try {
            ProcessResult run = checkIn(laptop);

            assertThat(run.exitCode()).as(run.describe()).isZero();
            assertThat(header(laptop.image()).toString()).isEqualTo(before);
            assertThat(device(laptop).get("warnings").toString()).contains("luks-needs-unlock-key");
            ProcessResult none = admin.run("recovery-key", "get", laptop.hostname(),
                    "--device-id", laptop.deviceId());
            assertThat(none.exitCode()).isNotZero();
            assertThat(none.stderr()).contains("no recovery key has been escrowed");
        } finally {
            writeUnlockKey();
        }
        // Once the file is there, the next check-in adds the key and the warning goes.
        assertThat(checkIn(laptop).exitCode()).isZero();
        assertThat(luks(keys(laptop, admin), true)).hasSize(1);
        assertThat(device(laptop).get("warnings").toString()).doesNotContain("luks-needs-unlock-key");
    }

    /** Polls every /proc/PID/cmdline while open, recording the distinct command lines. */
    static final class CmdlineWatch implements AutoCloseable {
        private final Set<String> seen = ConcurrentHashMap.newKeySet();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread = new Thread(this::poll, "cmdline-watch");

        static CmdlineWatch start() {
            CmdlineWatch w = new CmdlineWatch();
            w.thread.setDaemon(true);
            w.thread.start();
            return w;
        }

        private void poll() {
            while (running.get()) {
                try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
                    for (Path proc : procs) {
                        try {
                            byte[] cmdline = Files.readAllBytes(proc.resolve("cmdline"));
                            if (cmdline.length > 0) {
                                seen.add(new String(cmdline, StandardCharsets.UTF_8).replace('\0', ' ').strip());
                            }
                        } catch (IOException e) {
                            // the process ended meanwhile
                        }
                    }
                } catch (IOException e) {
                    // /proc unreadable this round
                }
            }
        }

        List<String> seen() {
            return new ArrayList<>(seen);
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(5000);
        }
    }
}
