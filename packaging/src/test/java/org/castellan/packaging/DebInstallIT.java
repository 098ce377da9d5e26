package org.castellan.packaging;

import org.castellan.testsupport.Prerequisite;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Installs, runs, removes and purges the packages with the real dpkg in an {@link OverlayRoot}.
 * systemd does not run here: {@code /run/systemd/system} exists in the overlay and a fake
 * {@code systemctl} that records its arguments comes first on PATH, so the maintainer scripts take
 * their "systemd is running" branch and what they ask of systemd is checked.
 */
class DebInstallIT {
    private OverlayRoot root;

    @BeforeAll
    static void needsAnOverlayRoot(@TempDir Path probe) {
        DebFile.assumeDpkgDeb();
        String why = OverlayRoot.whyUnavailable(probe);
        Prerequisite.require(why == null, "an overlay root for dpkg (" + why + ")",
                "run as root on Linux with overlayfs and mount namespaces");
    }

    @BeforeEach
    void freshRoot(@TempDir Path dir) throws Exception {
        root = OverlayRoot.create(dir, DebFile.built("castellan-agent").path().getParent());
        Command.Result setup = root.run(OverlayRoot.FAKE_SYSTEMD);
        assertThat(setup.exitCode()).as(setup.describe()).isZero();
    }

    @Test
    void agentInstallsWithoutStartingThenStopsOnRemoveAndPurgeDeletesItsState() throws Exception {
        String agent = debName("castellan-agent");
        Command.Result install = root.run("dpkg -i /debs/" + agent + " /debs/" + debName("castellan-cli"));
        assertThat(install.exitCode()).as(install.describe()).isZero();
        assertThat(install.stdout()).contains("register this device").contains("systemctl enable --now castellan-agent-checkin.timer")
                .doesNotContain("registered as device");

        assertThat(root.ok("stat -c '%a %U:%G %n' /var/lib/castellan-agent /usr/bin/castellan-agent /usr/bin/castellan"
                + " /usr/share/castellan/castellan-agent.jar /usr/share/castellan/castellan.jar"
                + " /lib/systemd/system/castellan-agent.service").lines()).containsExactly(
                "700 root:root /var/lib/castellan-agent",
                "755 root:root /usr/bin/castellan-agent",
                "755 root:root /usr/bin/castellan",
                "644 root:root /usr/share/castellan/castellan-agent.jar",
                "644 root:root /usr/share/castellan/castellan.jar",
                "644 root:root /lib/systemd/system/castellan-agent.service");
        assertThat(root.systemctlCalls()).as("reloaded, but neither enabled nor started before registration")
                .containsExactly("daemon-reload", "try-restart castellan-agent.service");

        assertThat(root.ok("castellan-agent --help")).contains("Usage: castellan-agent ");
        assertThat(root.ok("castellan --help")).contains("Usage: castellan ");

        // What registration leaves behind; remove keeps it, purge deletes it.
        root.ok("echo '{}' > /var/lib/castellan-agent/agent.json");
        Command.Result remove = root.run("dpkg -r castellan-agent");
        assertThat(remove.exitCode()).as(remove.describe()).isZero();
        assertThat(root.systemctlCalls()).containsExactly("daemon-reload", "try-restart castellan-agent.service",
                "stop castellan-agent-checkin.timer", "disable castellan-agent-checkin.timer",
                "stop castellan-agent-checkin.service", // a check-in under way, before its files go
                "stop castellan-agent.service", "disable castellan-agent.service", "daemon-reload");
        assertThat(root.ok("ls /var/lib/castellan-agent; test -e /usr/bin/castellan-agent || echo launcher-gone;"
                + " test -e /usr/share/castellan/castellan-agent.jar || echo jar-gone").lines())
                .containsExactly("agent.json", "launcher-gone", "jar-gone");

        Command.Result purge = root.run("dpkg -P castellan-agent");
        assertThat(purge.exitCode()).as(purge.describe()).isZero();
        assertThat(root.ok("test -e /var/lib/castellan-agent || echo state-gone; dpkg-query -W -f '${Status}' castellan-cli"))
                .isEqualTo("state-gone\ninstall ok installed");
        assertThat(root.ok("castellan --help")).as("the cli package is independent").contains("Usage: castellan ");
    }

    @Test
    void serverInstallCreatesItsUserAndPrivateDataDirectoryAndRunsAsThatUser() throws Exception {
        String hostPasswd = Files.readString(Path.of("/etc/passwd"));
        Command.Result install = root.run("dpkg -i /debs/" + debName("castellan-server"));
        assertThat(install.exitCode()).as(install.describe()).isZero();

        assertThat(root.ok("getent passwd castellan | cut -d: -f1,6,7")).isEqualTo("castellan:/var/lib/castellan-server:/usr/sbin/nologin");
        assertThat(root.ok("id -gn castellan")).isEqualTo("castellan");
        assertThat(root.ok("stat -c '%a %U:%G' /var/lib/castellan-server")).isEqualTo("700 castellan:castellan");
        assertThat(root.systemctlCalls()).containsExactly("daemon-reload", "try-restart castellan-server.service");
        assertThat(Files.readString(Path.of("/etc/passwd"))).as("the host's accounts are untouched").isEqualTo(hostPasswd);

        // As the unit runs it (minus systemd's sandboxing): the castellan user, the packaged data directory.
        Command.Result serve = root.run(String.join("\n",
                "setpriv --reuid=castellan --regid=castellan --init-groups"
                        + " castellan-server serve --data /var/lib/castellan-server --listen 127.0.0.1:0"
                        + " > /tmp/serve.out 2> /tmp/serve.err &",
                "pid=$!",
                "i=0",
                "until grep -q 'fingerprint' /tmp/serve.out; do",
                "  i=$((i+1)); if [ $i -gt 120 ] || ! kill -0 $pid 2>/dev/null; then cat /tmp/serve.err >&2; break; fi",
                "  sleep 0.25",
                "done",
                "kill $pid; wait $pid || true",
                "grep -v 'admin token' /tmp/serve.out",
                "stat -c '%a %U' /var/lib/castellan-server/castellan.db /var/lib/castellan-server/initial-admin-token"));
        assertThat(serve.exitCode()).as(serve.describe()).isZero();
        assertThat(serve.stdout()).as(serve.describe())
                .contains("Castellan server listening on https://127.0.0.1:")
                .contains("600 castellan\n600 castellan");

        Command.Result purge = root.run("dpkg -P castellan-server");
        assertThat(purge.exitCode()).as(purge.describe()).isZero();
        assertThat(purge.stderr()).contains("kept /var/lib/castellan-server");
        assertThat(root.ok("test -e /usr/bin/castellan-server || echo launcher-gone; ls /var/lib/castellan-server | grep -c castellan.db"))
                .as("purge keeps the vault and database").isEqualTo("launcher-gone\n1");
        assertThat(root.systemctlCalls()).endsWith("stop castellan-server.service", "disable castellan-server.service",
                "daemon-reload", "daemon-reload");
    }

    @Test
    void serverInstallTakesOverADataDirectoryThatAlreadyExists() throws Exception {
        // e.g. created by hand, or restored from a backup as root, before the package was installed
        root.ok("mkdir -m 0755 /var/lib/castellan-server && touch /var/lib/castellan-server/castellan.db");
        Command.Result install = root.run("dpkg -i /debs/" + debName("castellan-server"));
        assertThat(install.exitCode()).as(install.describe()).isZero();
        assertThat(root.ok("stat -c '%a %U:%G' /var/lib/castellan-server")).isEqualTo("700 castellan:castellan");
    }

    private static String debName(String name) throws Exception {
        return DebFile.built(name).path().getFileName().toString();
    }
}
