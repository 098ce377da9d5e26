package org.castellan.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.castellan.e2e.ServerProcess;
import org.castellan.testsupport.Prerequisite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The preconfigured .rpm installed with the real rpm ({@code rpm --root ROOT --nodeps -i}) into a
 * debootstrapped Debian root that has no Java, enrolling against the real server; then upgraded
 * ({@code rpm -U}) to the next release, which keeps the device. One root for the class.
 */
class RpmInstallIT {
    private static final String ACCOUNT = "castellan-rpm";

    @TempDir
    static Path tmp;
    static DebootstrapRoot root;
    static ServerProcess server;
    static Admin admin;

    @BeforeAll
    static void debootstrapAndStartServer() throws Exception {
        String why = DebootstrapRoot.whyUnavailable();
        Prerequisite.require(why == null, "a debootstrapped root for rpm (" + why + ")",
                "run as root with debootstrap and rpm installed: apt-get install -y debootstrap rpm");
        root = DebootstrapRoot.create(tmp);
        server = new ServerProcess(tmp.resolve("server-data")).start(List.of(), List.of(), null);
        admin = new Admin(server);
        admin.ok("policy", "set", "default", "--account", ACCOUNT, "--length", "20");
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void rpmIntoARootWithoutJavaEnrolsAndAnUpgradeKeepsTheDevice(@TempDir Path dir) throws Exception {
        assertThat(root.exists("/usr/bin/java")).as("debootstrap minbase has no Java").isFalse();
        Command.Result account = root.inRoot("useradd -M -s /bin/sh " + ACCOUNT, 60);
        assertThat(account.exitCode()).as(account.describe()).isZero();
        Path keyFile = admin.createKeyFile(dir.resolve("key.json"), 1);
        String key = Admin.key(keyFile);
        Path out = Files.createDirectories(dir.resolve("rpms"));
        Path rpm = PackageAgent.build(List.of("--type", "rpm", "--server", server.url(), "--server-fingerprint",
                server.fingerprint(), "--registration-key-file", keyFile.toString(), "--output", out.toString()));

        Command.Result install;
        try (ArgvWatch watch = ArgvWatch.forSecret(key)) {
            install = root.onHost("rpm --root \"$0\" --initdb && rpm --root \"$0\" --nodeps -i " + rpm, 300);
            assertThat(watch.leaks()).as("the key in no command line during the install").isEmpty();
        }
        assertThat(install.exitCode()).as(install.describe()).isZero();
        assertThat(install.stdout() + install.stderr()).contains("registered as device").doesNotContain(key);
        assertThat(root.exists("/var/lib/castellan-agent/registration-key")).as("key deleted after use").isFalse();
        assertThat(root.exists("/var/lib/castellan-agent/agent.json")).isTrue();
        assertThat(root.exists("/usr/lib/castellan-agent/castellan-agent.jsa")).as("archive made at install").isTrue();
        Command.Result query = root.onHost("rpm --root \"$0\" -q castellan-agent", 60);
        assertThat(query.stdout().strip()).isEqualTo("castellan-agent-0.1.0~SNAPSHOT-1.x86_64");

        JsonNode devices = admin.json("devices", "list");
        assertThat(devices).hasSize(1);
        String deviceId = devices.get(0).get("id").asText();
        String password = admin.ok("password", "get", devices.get(0).get("hostname").asText(), "--reason", "rpm check")
                .stdout().strip();
        String hash = Files.readAllLines(root.path().resolve("etc/shadow")).stream()
                .filter(l -> l.startsWith(ACCOUNT + ":")).findFirst().orElseThrow().split(":")[1];
        Path pw = Files.writeString(dir.resolve("pw"), password);
        Command.Result check = Command.run(List.of("perl", "-e",
                "open my $f, '<', $ARGV[1] or die; local $/; my $p = <$f>; print(crypt($p, $ARGV[0]) eq $ARGV[0] ? 'MATCH' : 'NO')",
                hash, pw.toString()));
        assertThat(check.stdout()).as("the revealed password matches the root's shadow hash").isEqualTo("MATCH");

        byte[] deviceKey = Files.readAllBytes(root.path().resolve("var/lib/castellan-agent/device.key"));
        Path next = PackageAgent.build(List.of("--type", "rpm", "--release", "2", "--server", server.url(),
                "--server-fingerprint", server.fingerprint(), "--registration-key-file", keyFile.toString(),
                "--output", out.toString()));
        Command.Result upgrade = root.onHost("rpm --root \"$0\" --nodeps -U " + next, 300);
        assertThat(upgrade.exitCode()).as(upgrade.describe()).isZero();
        assertThat(upgrade.stdout()).contains("already registered as device " + deviceId);
        assertThat(Files.readAllBytes(root.path().resolve("var/lib/castellan-agent/device.key"))).isEqualTo(deviceKey);
        assertThat(root.exists("/var/lib/castellan-agent/registration-key")).isFalse();
        assertThat(root.onHost("rpm --root \"$0\" -q castellan-agent", 60).stdout().strip())
                .isEqualTo("castellan-agent-0.1.0~SNAPSHOT-2.x86_64");
        assertThat(admin.json("devices", "list")).hasSize(1);

        Command.Result erase = root.onHost("rpm --root \"$0\" --nodeps -e castellan-agent", 120);
        assertThat(erase.exitCode()).as(erase.describe()).isZero();
        assertThat(root.exists("/usr/bin/castellan-agent")).isFalse();
        assertThat(root.exists("/usr/lib/castellan-agent")).as("runtime and archive gone").isFalse();
        assertThat(root.exists("/var/lib/castellan-agent/device.key")).as("erase keeps the device key").isTrue();
    }
}
