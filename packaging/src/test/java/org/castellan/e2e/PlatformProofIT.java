package org.castellan.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.castellan.testsupport.Prerequisite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proof that Linux works, with the real jars: {@code selftest --throwaway-account} and
 * {@code diagnose --bundle} in the sandbox against the real server, and a state directory copied
 * into another namespace whose /etc/machine-id differs: it rotates nothing, and the server shows
 * and audits the copy. One server for the class.
 */
class PlatformProofIT {
    static final String ACCOUNT = "castellan-proof";
    @TempDir
    static Path tmp;
    static LinuxSandbox sandbox;
    static ServerProcess server;
    static AdminCli admin;

    @BeforeAll
    static void start() throws Exception {
        String why = LinuxSandbox.whyUnavailable();
        Prerequisite.require(why == null, "the chpasswd sandbox (" + why + ")",
                "run as root on Linux with unshare (util-linux), passwd and perl installed");
        sandbox = LinuxSandbox.create(tmp);
        sandbox.createAccount(ACCOUNT);
        server = new ServerProcess(tmp.resolve("server-data")).start();
        admin = new AdminCli(server, server.adminToken());
        admin.ok("policy", "set", "default", "--account", ACCOUNT, "--length", "24");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void selftestOfTheAgentJarPassesForRealAndLeavesNoAccount() throws Exception {
        AgentCli agent = new AgentCli(sandbox, tmp.resolve("selftest-state"));

        ProcessResult selftest = Processes.run(agent.command("selftest", "--throwaway-account"), Map.of(), null);

        assertThat(selftest.exitCode()).as(selftest.describe()).isZero();
        assertThat(selftest.stdout()).contains("[ok  ] prove-first-password: crypt(3) of the password matches",
                "[ok  ] delete-account", "selftest passed");
        assertThat(Files.readString(sandbox.etc().resolve("passwd"))).doesNotContain("castellan-st-");
        assertThat(Files.readString(Path.of("/etc/passwd"))).doesNotContain("castellan-st-");
    }

    @Test
    void diagnoseOfARegisteredDevicePassesAgainstTheRealServerAndItsBundleHoldsNoSecret() throws Exception {
        String key = admin.json("registration-keys", "create", "--name", "diagnose").get("key").asText();
        AgentCli agent = new AgentCli(sandbox, tmp.resolve("diagnose-state"));
        String deviceId = registeredDevice(agent.register(server.url(), server.fingerprint(), key));
        assertThat(agent.checkIn().exitCode()).isZero();
        String password = password(deviceId, "diagnose test");
        Path bundle = tmp.resolve("bundle.zip");

        ProcessResult diagnose = Processes.run(agent.command("diagnose", "--bundle", bundle.toString()), Map.of(), null);

        assertThat(diagnose.exitCode()).as(diagnose.describe()).isZero();
        assertThat(diagnose.stdout()).contains("[ok  ] server-reachable", "[ok  ] server-certificate: matches (pinned sha256 "
                        + server.fingerprint(), "[ok  ] clock-skew", "[ok  ] machine-identity: matches the registration",
                "[ok  ] managed-account: " + ACCOUNT, "[ok  ] state-dir-permissions", "[ok  ] libcrypt",
                "[ok  ] last-rotation: account " + ACCOUNT, "all checks passed");
        assertThat(diagnose.stdout() + diagnose.stderr()).doesNotContain(password).doesNotContain(key);
        String sealedKey = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(agent.stateDir().resolve("device.key").toFile()).get("sealed").asText();
        Map<String, byte[]> entries = unzip(bundle);
        assertThat(entries).containsKeys("diagnose.json", "state/agent.json").doesNotContainKey("state/device.key");
        for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
            assertThat(new String(entry.getValue(), StandardCharsets.UTF_8)).as(entry.getKey())
                    .doesNotContain(password, key, sealedKey);
        }
    }

    @Test
    void stateCopiedToAMachineWithAnotherMachineIdRotatesNothingAndTheServerShowsTheCopy() throws Exception {
        String key = admin.json("registration-keys", "create", "--name", "original").get("key").asText();
        AgentCli original = new AgentCli(sandbox, tmp.resolve("original-state"));
        String deviceId = registeredDevice(original.register(server.url(), server.fingerprint(), key));
        assertThat(original.checkIn().exitCode()).isZero();
        String before = password(deviceId, "clone test");

        // Another machine: the same accounts (a cloned VM has them), another machine-id.
        LinuxSandbox other = LinuxSandbox.create(Files.createDirectories(tmp.resolve("other-machine")));
        other.createAccount(ACCOUNT);
        Path machineId = other.etc().resolve("machine-id");
        Files.deleteIfExists(machineId);
        Files.writeString(machineId, "0badc0de0badc0de0badc0de0badc0de\n");
        Path copy = tmp.resolve("copied-state");
        assertThat(Processes.run(List.of("cp", "-a", original.stateDir().toString(), copy.toString()), Map.of(), null)
                .exitCode()).isZero();
        String otherHash = other.shadowHash(ACCOUNT);
        admin.ok("password", "rotate", hostname(deviceId), "--device-id", deviceId);

        ProcessResult cloned = new AgentCli(other, copy).checkIn();

        assertThat(cloned.exitCode()).as(cloned.describe()).isNotZero();
        assertThat(cloned.stderr()).contains("copied from another machine", "machine-id differ", "nothing was rotated",
                "register --force");
        assertThat(other.shadowHash(ACCOUNT)).as("no password set on the copy").isEqualTo(otherHash);
        JsonNode reveal = admin.json("password", "get", hostname(deviceId), "--device-id", deviceId, "--reason", "after clone");
        assertThat(reveal.get("password").asText()).isEqualTo(before);
        assertThat(reveal.path("pending")).as("nothing escrowed by the copy").isEmpty();
        JsonNode device = admin.json("devices", "show", deviceId);
        assertThat(device.get("warnings").toString()).contains("clone-reported:");
        // The default list fits 100 columns and counts warnings; -o wide shows them.
        assertThat(admin.ok("devices", "list").stdout()).contains("1 warning");
        assertThat(admin.ok("devices", "list", "-o", "wide").stdout()).contains("clone-reported:");
        assertThat(admin.json("audit", "--device", deviceId, "--action", "device.clone-reported").toString())
                .contains("machine-id differ");

        // The original is unaffected and rotates as asked.
        ProcessResult originalCheckIn = original.checkIn();
        assertThat(originalCheckIn.exitCode()).as(originalCheckIn.describe()).isZero();
        String after = password(deviceId, "original rotated");
        assertThat(after).isNotEqualTo(before);
        assertThat(sandbox.passwordWorks(ACCOUNT, after)).isTrue();
    }

    /** Every device of this class runs on this host, so a device is named by host name and id. */
    private static String hostname(String deviceId) throws Exception {
        return admin.json("devices", "show", deviceId).get("hostname").asText();
    }

    private static String password(String deviceId, String reason) throws Exception {
        return admin.ok("password", "get", hostname(deviceId), "--device-id", deviceId, "--reason", reason).stdout().strip();
    }

    /** The id from "registered as device ID with ...". */
    private static String registeredDevice(ProcessResult registered) {
        assertThat(registered.exitCode()).as(registered.describe()).isZero();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("registered as device (\\S+)").matcher(registered.stdout());
        assertThat(m.find()).as(registered.stdout()).isTrue();
        return m.group(1);
    }

    private static Map<String, byte[]> unzip(Path zip) throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                entries.put(entry.getName(), in.readAllBytes());
            }
        }
        return entries;
    }
}
