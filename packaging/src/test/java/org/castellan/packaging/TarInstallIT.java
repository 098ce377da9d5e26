package org.castellan.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.castellan.e2e.ServerProcess;
import org.castellan.testsupport.Prerequisite;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Linux .tar.gz unpacked and installed with its own {@code install.sh} in an
 * {@link OverlayRoot} without Java, then removed with {@code uninstall.sh}: the plain one, and a
 * preconfigured one that enrols against a real server on loopback (systemd faked as in
 * {@link DebInstallIT}, the managed account only in the overlay).
 */
class TarInstallIT {
    private static final String ACCOUNT = "castellan-tar";
    private static final String STATE = "/var/lib/castellan-agent";

    @BeforeAll
    static void needsAnOverlayRoot(@TempDir Path probe) {
        String why = OverlayRoot.whyUnavailable(probe);
        Prerequisite.require(why == null, "an overlay root (" + why + ")",
                "run as root on Linux with overlayfs and mount namespaces");
    }

    @Test
    void installShPutsTheSelfContainedAgentInPlaceAndUninstallShRemovesIt(@TempDir Path dir) throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Path tar = PackageAgent.build(List.of("--type", "tar.gz", "--unconfigured", "--output", out.toString()));
        OverlayRoot root = OverlayRoot.create(Files.createDirectories(dir.resolve("root")), out);
        String top = tar.getFileName().toString().replace(".tar.gz", "");
        Command.Result install = root.run("rm -f /usr/bin/java /etc/alternatives/java && rm -rf /usr/lib/jvm"
                + " && cd /tmp && tar -xzf /debs/" + tar.getFileName() + " && ./" + top + "/install.sh", 300);
        assertThat(install.exitCode()).as(install.describe()).isZero();
        assertThat(install.stdout()).contains("register this device");
        Command.Result check = root.run("command -v java || echo no-java; stat -c '%a %n' /var/lib/castellan-agent"
                + " /usr/bin/castellan-agent /usr/lib/castellan-agent/runtime/bin/java; castellan-agent --version;"
                + " test -f /usr/lib/castellan-agent/castellan-agent.jsa && echo archive;"
                // -Xshare:on fails the start unless the archive the install made maps onto this runtime and jar.
                + " CASTELLAN_JAVA_OPTS=-Xshare:on castellan-agent --version >/dev/null && echo archive-used;"
                + " test -e /usr/lib/castellan-agent/castellan-agent.classlist || echo no-class-list", 120);
        List<String> lines = check.stdout().lines().toList();
        assertThat(lines).as(check.describe()).hasSize(8);
        assertThat(lines.subList(0, 4)).containsExactly("no-java", "700 /var/lib/castellan-agent",
                "755 /usr/bin/castellan-agent", "755 /usr/lib/castellan-agent/runtime/bin/java");
        assertThat(lines.get(4)).as("runs on its own runtime").startsWith("castellan-agent ");
        assertThat(lines.subList(5, 8)).as(check.describe()).containsExactly("archive", "archive-used", "no-class-list");
        Command.Result uninstall = root.run("/tmp/" + top + "/uninstall.sh --purge && ls /usr/bin/castellan-agent"
                + " /usr/lib/castellan-agent /var/lib/castellan-agent 2>&1 | grep -c 'No such file'", 120);
        assertThat(uninstall.stdout().strip()).as(uninstall.describe()).isEqualTo("3");
    }

    @Test
    void preconfiguredInstallShEnrolsWithoutJavaEnablesTheTimerAndTheRevealedPasswordWorks(@TempDir Path dir) throws Exception {
        Prerequisite.require(Command.available("perl"), "perl (checks the revealed password against the shadow hash)",
                "apt-get install -y perl");
        try (ServerProcess server = new ServerProcess(dir.resolve("server-data")).start(List.of(), List.of(), null)) {
            Admin admin = new Admin(server);
            admin.ok("policy", "set", "default", "--account", ACCOUNT, "--length", "24");
            Path keyFile = admin.createKeyFile(dir.resolve("key.json"), 1);
            String key = Admin.key(keyFile);
            Path out = Files.createDirectories(dir.resolve("out"));
            Path tar = PackageAgent.preconfigured("tar.gz", server, keyFile, out);
            String top = "/tmp/" + tar.getFileName().toString().replace(".tar.gz", "");
            OverlayRoot root = OverlayRoot.create(Files.createDirectories(dir.resolve("root")), out);
            root.ok(OverlayRoot.NO_JAVA + " && " + OverlayRoot.FAKE_SYSTEMD + " && useradd -M -s /bin/sh " + ACCOUNT);

            Command.Result install;
            try (ArgvWatch watch = ArgvWatch.forSecret(key)) {
                install = root.run("cd /tmp && tar -xzf /debs/" + tar.getFileName() + " && " + top + "/install.sh", 300);
                assertThat(watch.seenWith("castellan")).as("the watch saw the agent register from its own runtime").anyMatch(line ->
                        line.startsWith("/usr/bin/../lib/castellan-agent/runtime/bin/java ") && line.contains(" register "));
                assertThat(watch.leaks()).as("the key in no command line during the install").isEmpty();
            }
            assertThat(install.exitCode()).as(install.describe()).isZero();
            assertThat(install.stdout()).contains("registered as device").doesNotContain("register this device")
                    .doesNotContain(key);
            assertThat(install.stderr()).doesNotContain(key);

            assertThat(root.ok("command -v java || echo no-java")).isEqualTo("no-java");
            assertThat(root.ok("for f in " + STATE + "/registration-key " + top + "/root" + STATE + "/registration-key;"
                    + " do test -e $f || echo deleted; done; stat -c '%a %n' " + STATE + " " + STATE + "/config.json "
                    + STATE + "/agent.json " + STATE + "/device.key").lines()).as("the key deleted, installed and unpacked")
                    .containsExactly("deleted", "deleted", "700 " + STATE, "600 " + STATE + "/config.json",
                            "600 " + STATE + "/agent.json", "600 " + STATE + "/device.key");
            assertThat(root.ok("ls /usr/lib/systemd/system | grep castellan").lines()).containsExactly(
                    "castellan-agent-checkin.service", "castellan-agent-checkin.timer", "castellan-agent.service");
            assertThat(root.systemctlCalls()).as("timer mode: the timer enabled and started, the resident service not")
                    .containsSubsequence("daemon-reload", "disable --now castellan-agent.service",
                            "enable castellan-agent-checkin.timer", "restart castellan-agent-checkin.timer")
                    .noneMatch(call -> call.startsWith("enable castellan-agent.service"));

            JsonNode devices = admin.json("devices", "list");
            assertThat(devices).hasSize(1);
            assertThat(install.stdout()).contains("registered as device " + devices.get(0).get("id").asText());
            String password = admin.ok("password", "get", devices.get(0).get("hostname").asText(), "--reason",
                    "tar install check").stdout().strip();
            assertThat(password).hasSize(24);
            assertThat(root.passwordWorks(ACCOUNT, password)).as("the first check-in at install rotated the account;"
                    + " the revealed password matches its shadow hash").isTrue();

            Command.Result uninstall = root.run(top + "/uninstall.sh --purge && ls /usr/bin/castellan-agent"
                    + " /usr/lib/castellan-agent /usr/lib/systemd/system/castellan-agent-checkin.timer " + STATE
                    + " 2>&1 | grep -c 'No such file'", 120);
            assertThat(uninstall.stdout().strip()).as(uninstall.describe()).isEqualTo("4");
            assertThat(root.systemctlCalls()).endsWith("disable --now castellan-agent-checkin.timer castellan-agent.service",
                    "stop castellan-agent-checkin.service", "daemon-reload");
        }
    }
}
