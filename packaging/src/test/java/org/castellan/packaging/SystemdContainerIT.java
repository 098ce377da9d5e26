package org.castellan.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.castellan.testsupport.Prerequisite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The packages under a real systemd: a Debian 12 root made by debootstrap, booted with systemd as
 * PID 1 in systemd-nspawn (no network but its own loopback), the three .deb files installed with
 * dpkg, the server and the agent started with systemctl and their hardened units measured with
 * {@code systemd-analyze security}.
 *
 * <p>One boot serves the whole class (debootstrap ~1.5 min on a fresh build directory, boot a few
 * seconds), so the scenarios are ordered steps on one machine: install, measure, start the server,
 * register and start the agent, rotate, kill, install-service, stop, purge. A new scenario is one
 * more {@code @Test @Order(n)} between install and purge: {@link #container} runs shell inside,
 * {@link UnitSandbox} runs a script under exactly the agent unit's sandbox, {@link UnitState} reads
 * what systemd says of a unit, and {@link #admin(String)} runs the admin CLI against the server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SystemdContainerIT {
    static final String AGENT = "castellan-agent.service";
    static final String SERVER = "castellan-server.service";
    static final String ACCOUNT = "castellan-managed";
    static final String HOST = BootedContainer.HOSTNAME;
    /** The issue's limits: the server "OK" (below 5.0), the agent at most 5.5. */
    static final double SERVER_LIMIT = 5.0;
    static final double AGENT_LIMIT = 5.5;

    private BootedContainer container;
    private final List<String> scores = new ArrayList<>();

    @BeforeAll
    void bootDebianWithSystemd() throws Exception {
        DebFile.assumeDpkgDeb();
        Prerequisite.requireNoReason(DebianRoot.whyUnavailable(),
                "run as root on Linux with apt-get install -y debootstrap systemd-container");
        Path build = Path.of(System.getProperty("castellan.jars", "target")).toAbsolutePath();
        Path work = Files.createDirectories(build.resolve("systemd-it"));
        Path debs = Files.createDirectories(work.resolve("debs"));
        for (String name : List.of("castellan-agent", "castellan-server", "castellan-cli")) {
            Path deb = DebFile.built(name).path();
            Files.copy(deb, debs.resolve(name + ".deb"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Path root = DebianRoot.freshCopy(work, work.resolve("run"));
        container = BootedContainer.boot(root, debs, work.resolve("console.log"));
    }

    @AfterAll
    void powerOff() throws Exception {
        if (container != null) {
            container.close();
        }
        scores.forEach(System.out::println);
    }

    @Test
    @Order(1)
    void packagesInstallWithDpkgAndNothingStartsBeforeItIsAskedTo() throws Exception {
        Command.Result install = container.run("dpkg -i /debs/castellan-server.deb /debs/castellan-cli.deb /debs/castellan-agent.deb");
        assertThat(install.exitCode()).as(install.describe()).isZero();

        for (String unit : List.of(AGENT, SERVER)) {
            assertThat(UnitState.of(container, unit).activeState()).as(unit).isEqualTo("inactive");
            assertThat(container.run("systemctl is-enabled " + unit).stdout().strip()).as(unit).isEqualTo("disabled");
        }
        assertThat(container.ok("systemctl --failed --no-legend --plain")).isEmpty();
    }

    @Test
    @Order(2)
    void bothUnitsAreHardenedBelowTheirLimitsAndEveryRemainingExposureIsJustifiedInTheUnit() throws Exception {
        ExposureReport server = exposure(SERVER);
        ExposureReport agent = exposure(AGENT);

        assertThat(server.exposure()).as("server exposure (%s)", server.exposedSettings()).isLessThan(SERVER_LIMIT);
        assertThat(server.rating()).isEqualTo("OK");
        assertThat(agent.exposure()).as("agent exposure (%s)", agent.exposedSettings()).isLessThanOrEqualTo(AGENT_LIMIT);
        assertJustified(server, "lib/systemd/system/" + SERVER);
        assertJustified(agent, "lib/systemd/system/" + AGENT);
    }

    @Test
    @Order(3)
    void serverStartsWithSystemctlAndServesHttpsAsItsOwnUserWithoutCapabilities() throws Exception {
        container.ok("systemctl enable --now " + SERVER);

        String fingerprint = container.await("test -s /var/lib/castellan-server/initial-admin-token && " + FINGERPRINT,
                out -> out.matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"), Duration.ofSeconds(90), "the server's TLS fingerprint");
        assertThat(fingerprint).isNotBlank();
        UnitState state = UnitState.of(container, SERVER);
        assertThat(state.running()).as(state.toString()).isTrue();
        assertThat(processStatus(state.mainPid())).contains("Uid:\t" + container.ok("id -u castellan"))
                .contains("CapBnd:\t0000000000000000", "NoNewPrivs:\t1", "Seccomp:\t2");
    }

    @Test
    @Order(4)
    void registeredAgentStartedBySystemdRotatesToThePasswordCastellanReveals() throws Exception {
        container.ok("useradd -M -s /usr/sbin/nologin " + ACCOUNT);
        assertThat(shadowHash()).doesNotStartWith("$");
        admin("castellan policy set default --account " + ACCOUNT + " --length 24 >/dev/null");
        // The registration key stays in shell variables and on stdin: never in any argv.
        admin("key=$(castellan registration-keys create --name systemd-it --max-uses 1 -o json"
                + " | sed -n 's/.*\"key\" *: *\"\\([^\"]*\\)\".*/\\1/p')\n"
                + "printf '%s\\n' \"$key\" | castellan-agent register --server \"$CASTELLAN_SERVER\""
                + " --server-fingerprint \"$CASTELLAN_SERVER_FINGERPRINT\" --registration-key -");

        container.ok("systemctl enable --now " + AGENT);

        String password = awaitRevealedPasswordThatLogsIn(null);
        assertThat(password).hasSize(24);
        UnitState state = UnitState.of(container, AGENT);
        assertThat(state.running()).as(state.toString()).isTrue();
        // The unit's sandbox really applies to the agent: CAP_CHOWN alone, no new privileges, seccomp on.
        assertThat(processStatus(state.mainPid())).contains("Uid:\t0", "CapBnd:\t0000000000000001", "NoNewPrivs:\t1",
                "Seccomp:\t2");
        // PAM's syslog line reaches journald on another socket than the agent's stdout, so it can be
        // read a moment after the check-in's own line: wait for it rather than read once. Found by its
        // syslog identifier, not by unit: journald ties a line to a unit through the sender's cgroup
        // in /proc, and chpasswd has often exited by then, so "-u" misses the line now and then
        // (seen in two CI runs; the rotation itself had worked).
        container.await("journalctl -t chpasswd --no-pager -o cat",
                out -> out.contains("password changed for " + ACCOUNT), Duration.ofSeconds(180),
                "chpasswd's PAM line in the journal");
        // The loop logs "check-in done" once the whole check-in has returned, which can be after the new
        // password already reveals and logs in: wait for the line too (read once, it was missing in one run).
        assertThat(container.await("journalctl -u " + AGENT + " --no-pager -o cat", out -> out.contains("check-in done"),
                Duration.ofSeconds(60), "the agent's check-in line in the journal")).doesNotContain(password);
        assertThat(container.ok("journalctl --no-pager -o cat")).as("the password in no journal line").doesNotContain(password);
    }

    @Test
    @Order(5)
    void agentUnitLeavesRoomForSudoersDropInsThrowawayAccountsAndLuksKeySlots() throws Exception {
        // What issues to come will run under this unit, run now under its exact sandbox.
        Command.Result probe = UnitSandbox.run(container, AGENT, String.join("\n",
                "touch /usr/castellan-probe 2>/dev/null && echo usr-writable || echo usr-read-only",
                "ls -A /home /root 2>/dev/null | grep -q . && echo home-visible || echo home-hidden",
                "d=/etc/sudoers.d",
                "printf 'castellan-probe ALL=(ALL:ALL) ALL\\n' > $d/.castellan-probe.tmp",
                "chmod 0440 $d/.castellan-probe.tmp",
                "visudo -cqf $d/.castellan-probe.tmp && mv $d/.castellan-probe.tmp $d/castellan-probe && echo sudoers-ok",
                "useradd -M -l -s /usr/sbin/nologin castellan-probe && echo useradd-ok",
                "userdel castellan-probe && rm $d/castellan-probe && echo userdel-ok",
                "img=/var/lib/castellan-agent/probe.img; keys=/var/lib/castellan-agent/probe.keys; umask 077",
                "truncate -s 20M $img; printf new-slot > $keys",
                "fast='--pbkdf pbkdf2 --pbkdf-force-iterations 1000'",
                "printf first-slot | cryptsetup luksFormat --type luks2 $fast --batch-mode $img --key-file -",
                "printf first-slot | cryptsetup luksAddKey $fast $img $keys --key-file - && echo luks-add-ok",
                "printf new-slot | cryptsetup open --test-passphrase $img --key-file - && echo luks-open-test-ok",
                "rm -f $img $keys"));

        assertThat(probe.exitCode()).as(probe.describe()).isZero();
        assertThat(probe.stdout().lines()).as(probe.describe()).containsExactly("usr-read-only", "home-hidden",
                "sudoers-ok", "useradd-ok", "userdel-ok", "luks-add-ok", "luks-open-test-ok");
        assertThat(container.run("getent passwd castellan-probe").exitCode()).isNotZero();
    }

    @Test
    @Order(6)
    void agentKilledWithSigkillIsRestartedBySystemdAndRotatesAgain() throws Exception {
        String before = awaitRevealedPasswordThatLogsIn(null);
        admin("castellan password rotate " + HOST + " >/dev/null");
        UnitState running = UnitState.of(container, AGENT);

        container.ok("kill -9 " + running.mainPid());

        // RestartSec=30: systemd waits that long before it starts the agent again.
        container.await("systemctl show -p " + UnitState.PROPERTIES + " " + AGENT, show -> {
            UnitState now = UnitState.parse(show);
            return now.running() && now.restarts() == running.restarts() + 1 && now.mainPid() != running.mainPid();
        }, Duration.ofSeconds(90), "a restart after kill -9");
        String after = awaitRevealedPasswordThatLogsIn(before);
        assertThat(after).isNotEqualTo(before);
    }

    @Test
    @Order(7)
    void installServiceWritesAUnitSystemdRunsWithoutAJreDirectoryAndUninstallTakesItAway() throws Exception {
        String refused = container.run("castellan-agent install-service --state-dir /tmp/castellan-state 2>&1; echo \"exit=$?\"").stdout();
        assertThat(refused).contains("PrivateTmp=yes").contains("exit=1");
        assertThat(container.run("test -e /etc/systemd/system/" + AGENT + " || test -e /tmp/castellan-state").exitCode())
                .as("nothing written").isNotZero();

        long packagedPid = UnitState.of(container, AGENT).mainPid();
        assertThat(container.ok("castellan-agent install-service")).contains("installed and started");
        String unit = container.ok("cat /etc/systemd/system/" + AGENT);
        assertThat(unit).contains("\nExecStart=/usr/bin/castellan-agent run --state-dir /var/lib/castellan-agent\n")
                .doesNotContain("/usr/lib/jvm");
        assertThat(container.ok("systemctl show -p FragmentPath --value " + AGENT)).isEqualTo("/etc/systemd/system/" + AGENT);
        UnitState restarted = UnitState.of(container, AGENT);
        assertThat(restarted.running()).as(restarted.toString()).isTrue();
        assertThat(restarted.mainPid()).as("restarted on the new unit").isNotEqualTo(packagedPid);
        assertThat(exposure(AGENT).exposure()).as("the unit install-service writes").isLessThanOrEqualTo(AGENT_LIMIT);

        assertThat(container.ok("castellan-agent uninstall-service")).contains("removed");
        assertThat(container.run("test -e /etc/systemd/system/" + AGENT).exitCode()).isNotZero();
        assertThat(container.ok("systemctl show -p FragmentPath --value " + AGENT)).isEqualTo("/lib/systemd/system/" + AGENT);
        assertThat(UnitState.of(container, AGENT).activeState()).isEqualTo("inactive");
        assertThat(container.ok("systemctl --failed --no-legend --plain")).isEmpty();
    }

    @Test
    @Order(8)
    void systemctlStopEndsBothUnitsInactiveNotFailed() throws Exception {
        container.ok("systemctl start " + AGENT);
        // Stopped once it has done a check-in (its shutdown hook is in place then), as in real life.
        container.await("journalctl --no-pager -o cat _SYSTEMD_INVOCATION_ID=$(systemctl show -p InvocationID --value "
                + AGENT + ") | grep -c 'check-in done' || true", n -> !n.equals("0"), Duration.ofSeconds(60),
                "a check-in by the restarted agent");

        container.ok("systemctl stop " + AGENT + " " + SERVER);

        for (String unit : List.of(AGENT, SERVER)) {
            UnitState stopped = UnitState.of(container, unit);
            assertThat(stopped.activeState()).as(unit + " " + stopped).isEqualTo("inactive");
            assertThat(stopped.result()).as(unit + " " + stopped).isEqualTo("success");
            // A JVM stopped by SIGTERM exits 143 after its shutdown hooks (0 when its main thread's own
            // System.exit got there first); SuccessExitStatus=143 makes both the clean stop they are.
            assertThat(stopped.execMainStatus()).as(unit + " " + stopped + "\n"
                    + container.ok("journalctl -u " + unit + " --no-pager -n 30")).isIn(0, 143);
            scores.add("systemctl stop " + unit + ": " + stopped.activeState() + ", result " + stopped.result()
                    + ", exit status " + stopped.execMainStatus());
            assertThat(container.run("systemctl is-failed " + unit).stdout().strip()).isEqualTo("inactive");
        }
    }

    @Test
    @Order(9)
    void purgeWhileRunningStopsBothAndLeavesNoFailedUnitAndNoJavaProcess() throws Exception {
        container.ok("systemctl start " + SERVER + " " + AGENT);

        Command.Result purge = container.run("dpkg --purge castellan-agent castellan-server castellan-cli");
        assertThat(purge.exitCode()).as(purge.describe()).isZero();

        assertThat(container.ok("systemctl --failed --all --no-legend --plain")).isEmpty();
        assertThat(container.ok("systemctl show -p LoadState --value " + AGENT + " " + SERVER).lines()
                .filter(l -> !l.isBlank())).containsExactly("not-found", "not-found");
        assertThat(container.ok("cat /proc/[0-9]*/comm 2>/dev/null | grep -c '^java$' || true")).isEqualTo("0");
        assertThat(container.run("test -e /var/lib/castellan-agent").exitCode()).as("agent state purged").isNotZero();
        assertThat(container.ok("systemctl is-system-running")).isEqualTo("running");
    }

    // --- helpers for scenarios

    private static final String FINGERPRINT = "openssl s_client -connect 127.0.0.1:8443 </dev/null 2>/dev/null"
            + " | openssl x509 -noout -fingerprint -sha256 | cut -d= -f2";

    /** Runs {@code shell} with the admin CLI pointed at the server (token and fingerprint read inside, never in argv). */
    String admin(String shell) throws Exception {
        return container.ok("export CASTELLAN_SERVER=https://127.0.0.1:8443\n"
                + "export CASTELLAN_SERVER_FINGERPRINT=\"$(" + FINGERPRINT + ")\"\n"
                + "export CASTELLAN_TOKEN=\"$(cat /var/lib/castellan-server/initial-admin-token)\"\n" + shell);
    }

    /**
     * Waits until {@code castellan password get} reveals a password (other than {@code previous})
     * that crypt(3) accepts against the managed account's shadow hash, and returns it.
     */
    private String awaitRevealedPasswordThatLogsIn(String previous) throws Exception {
        String check = "p=$(castellan password get " + HOST + " --reason systemd-it 2>/dev/null) || exit 0\n"
                + "h=$(getent shadow " + ACCOUNT + " | cut -d: -f2)\n"
                + "printf %s \"$p\" | perl -e 'local $/; my $p = <STDIN>;"
                + " print(crypt($p, $ARGV[0]) eq $ARGV[0] ? \"MATCH\\n\" : \"NO\\n\")' \"$h\"\n"
                + "printf '%s\\n' \"$p\"";
        String out = container.await("export CASTELLAN_SERVER=https://127.0.0.1:8443\n"
                + "export CASTELLAN_SERVER_FINGERPRINT=\"$(" + FINGERPRINT + ")\"\n"
                + "export CASTELLAN_TOKEN=\"$(cat /var/lib/castellan-server/initial-admin-token)\"\n" + check,
                o -> o.startsWith("MATCH\n") && (previous == null || !o.equals("MATCH\n" + previous)), Duration.ofSeconds(90),
                "a revealed password that logs in");
        return out.substring("MATCH\n".length());
    }

    private String shadowHash() throws Exception {
        return container.ok("getent shadow " + ACCOUNT + " | cut -d: -f2");
    }

    private String processStatus(long pid) throws Exception {
        return container.ok("cat /proc/" + pid + "/status");
    }

    private ExposureReport exposure(String unit) throws Exception {
        ExposureReport report = ExposureReport.parse(container.ok("systemd-analyze security --no-pager " + unit));
        scores.add("systemd-analyze security " + unit + ": " + report.exposure() + " " + report.rating());
        return report;
    }

    private void assertJustified(ExposureReport report, String unitFile) throws Exception {
        String comments = String.join("\n", Files.readAllLines(container.root().resolve(unitFile)).stream()
                .filter(l -> l.startsWith("#")).toList());
        for (String setting : report.exposedSettings()) {
            String keyword = ExposureReport.justificationKeyword(setting);
            if (!keyword.equals("…")) {
                assertThat(comments).as("%s: a comment justifies the exposed %s", unitFile, setting).contains(keyword);
            }
        }
    }
}
