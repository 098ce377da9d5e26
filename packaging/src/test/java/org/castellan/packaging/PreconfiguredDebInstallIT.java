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
 * What an endpoint admin does: one {@code package-agent} command, one {@code dpkg -i} on a Debian
 * machine with no Java, and the device shows up on the server with a password that works. Here the
 * machine is an {@link OverlayRoot} of this one with Java removed (/usr/bin/java and /usr/lib/jvm
 * deleted in the overlay), the real server runs on loopback, systemd is faked as in
 * {@link DebInstallIT}, and the managed account exists only in the overlay.
 */
class PreconfiguredDebInstallIT {
    private static final String ACCOUNT = "castellan-pkg";

    @TempDir
    static Path tmp;
    static ServerProcess server;
    static Admin admin;

    @BeforeAll
    static void startServer(@TempDir Path probe) throws Exception {
        DebFile.assumeDpkgDeb();
        String why = OverlayRoot.whyUnavailable(probe);
        Prerequisite.require(why == null, "an overlay root for dpkg (" + why + ")",
                "run as root on Linux with overlayfs and mount namespaces");
        Prerequisite.require(Command.available("perl"), "perl (checks the revealed password against the shadow hash)",
                "apt-get install -y perl");
        server = new ServerProcess(tmp.resolve("server-data")).start(List.of(), List.of(), null);
        admin = new Admin(server);
        admin.ok("policy", "set", "default", "--account", ACCOUNT, "--length", "24");
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void installOnAMachineWithoutJavaEnrolsStartsTheTimerAndTheRevealedPasswordWorks(@TempDir Path dir) throws Exception {
        Path keyFile = admin.createKeyFile(dir.resolve("key.json"), 2);
        String key = Admin.key(keyFile);
        Path debs = Files.createDirectories(dir.resolve("debs"));
        Path deb = PackageAgent.preconfigured("deb", server, keyFile, debs);
        OverlayRoot root = OverlayRoot.create(Files.createDirectories(dir.resolve("root")), debs);
        root.ok(OverlayRoot.NO_JAVA + " && " + OverlayRoot.FAKE_SYSTEMD + " && useradd -M -s /bin/sh " + ACCOUNT);
        assertThat(root.run("command -v java || ls /usr/lib/jvm").exitCode()).as("no Java in the machine").isNotZero();

        Command.Result install;
        try (ArgvWatch watch = ArgvWatch.forSecret(key)) {
            install = root.run("dpkg -i /debs/" + deb.getFileName(), 300);
            assertThat(watch.seenWith("castellan")).as("the watch saw the agent run from its own runtime")
                    .anyMatch(line -> line.startsWith("/usr/bin/../lib/castellan-agent/runtime/bin/java ") && line.contains(" register "));
            assertThat(watch.leaks()).as("the key in no command line during the install").isEmpty();
        }
        assertThat(install.exitCode()).as(install.describe()).isZero();
        assertThat(install.stdout()).contains("registered as device").doesNotContain(key);
        assertThat(install.stderr()).doesNotContain(key);

        assertThat(root.ok("test -e /var/lib/castellan-agent/registration-key || echo key-deleted;"
                + " stat -c '%a %n' /var/lib/castellan-agent /var/lib/castellan-agent/config.json"
                + " /var/lib/castellan-agent/agent.json /var/lib/castellan-agent/device.key").lines()).containsExactly(
                "key-deleted", "700 /var/lib/castellan-agent", "600 /var/lib/castellan-agent/config.json",
                "600 /var/lib/castellan-agent/agent.json", "600 /var/lib/castellan-agent/device.key");
        assertThat(root.systemctlCalls()).containsSubsequence(
                "daemon-reload", "enable castellan-agent-checkin.timer", "restart castellan-agent-checkin.timer");

        JsonNode devices = admin.json("devices", "list");
        assertThat(devices).hasSize(1);
        String deviceId = devices.get(0).get("id").asText();
        String hostname = devices.get(0).get("hostname").asText();
        String password = admin.ok("password", "get", hostname, "--reason", "package install check").stdout().strip();
        assertThat(password).hasSize(24);
        assertThat(root.passwordWorks(ACCOUNT, password)).as("the first check-in at install rotated the account; the revealed"
                + " password matches its shadow hash").isTrue();

        // The class-data-sharing archive made at install is used by later runs. It is a static archive
        // (the agent's own classes with the runtime's), so its classes log "shared objects file" without
        // the "(top)" a dynamic archive's layer logs; -Xshare:on refuses to start unless it maps.
        String classes = root.ok("CASTELLAN_JAVA_OPTS='-Xshare:on -Xlog:class+load=info' castellan-agent status");
        assertThat(classes.lines().filter(l -> l.contains(" org.castellan.") && l.contains("source: shared objects file"))
                .count()).as("agent classes come from the archive").isGreaterThan(50);
        assertThat(classes).contains("registered: yes", "device id: " + deviceId);

        // An upgrade (the next release, with a key again) keeps the device, its key and state.
        String deviceKey = root.ok("sha256sum /var/lib/castellan-agent/device.key");
        String registeredAt = root.ok("grep registeredAt /var/lib/castellan-agent/agent.json");
        Path next = PackageAgent.build(List.of("--type", "deb", "--release", "2", "--server", server.url(),
                "--server-fingerprint", server.fingerprint(), "--registration-key-file", keyFile.toString(),
                "--output", debs.toString()));
        Command.Result upgrade = root.run("dpkg -i /debs/" + next.getFileName(), 300);
        assertThat(upgrade.exitCode()).as(upgrade.describe()).isZero();
        assertThat(upgrade.stdout()).contains("already registered as device " + deviceId);
        assertThat(root.ok("dpkg-query -W -f '${Version}' castellan-agent")).isEqualTo("0.1.0~SNAPSHOT-2");
        assertThat(root.ok("sha256sum /var/lib/castellan-agent/device.key")).isEqualTo(deviceKey);
        assertThat(root.ok("grep registeredAt /var/lib/castellan-agent/agent.json")).isEqualTo(registeredAt);
        assertThat(root.ok("test -e /var/lib/castellan-agent/registration-key || echo key-deleted")).isEqualTo("key-deleted");
        assertThat(admin.json("devices", "list")).as("still one device").hasSize(1);
        assertThat(admin.json("registration-keys", "list").get(0).get("uses").asInt()).as("the upgrade used no key").isEqualTo(1);
        assertThat(root.ok("castellan-agent check-in")).contains("checked in");
    }
}
