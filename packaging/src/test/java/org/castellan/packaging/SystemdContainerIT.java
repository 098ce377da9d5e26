package org.castellan.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.castellan.protocol.Json;
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
 * register and start the agent, rotate, kill, install-service, stop, purge; then what an endpoint
 * admin does with a preconfigured package: the server and CLI reinstalled (same data), a bounded
 * registration key, {@code package-agent --type deb} on the server, {@code dpkg -i} of what it
 * made, the check-in timer's service rotating on request, and the agent purged. A new scenario is
 * one more {@code @Test @Order(n)} between install and purge: {@link #container} runs shell inside,
 * {@link UnitSandbox} runs a script under exactly the agent unit's sandbox, {@link UnitState} reads
 * what systemd says of a unit, and {@link #admin(String)} runs the admin CLI against the server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SystemdContainerIT {
    static final String AGENT = "castellan-agent.service";
    static final String SERVER = "castellan-server.service";
    /** The preconfigured package's default (--mode timer): the timer starts the oneshot check-in. */
    static final String TIMER = "castellan-agent-checkin.timer";
    static final String CHECKIN = "castellan-agent-checkin.service";
    static final String ACCOUNT = "castellan-managed";
    static final String HOST = BootedContainer.HOSTNAME;
    /** The issue's limits: the server "OK" (below 5.0), the agent at most 5.5. */
    static final double SERVER_LIMIT = 5.0;
    static final double AGENT_LIMIT = 5.5;

    /** The endpoint admin's key file for the preconfigured package: root-only, inside the container. */
    private static final String KEY_FILE = "/root/endpoints.key.json";

    private BootedContainer container;
    private final List<String> scores = new ArrayList<>();
    /** What the server's first start made (step 3), to check it comes back after purge and reinstall. */
    private String fingerprint;
    private String tokenDigest;
    /** The device the plain agent registered (steps 4 to 9), retired once that agent is purged. */
    private String retiredDeviceId;

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

        fingerprint = container.await("test -s /var/lib/castellan-server/initial-admin-token && " + FINGERPRINT,
                out -> out.matches(FINGERPRINT_FORMAT), Duration.ofSeconds(90), "the server's TLS fingerprint");
        assertThat(fingerprint).isNotBlank();
        tokenDigest = container.ok(TOKEN_DIGEST);
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

    @Test
    @Order(10)
    void serverAndCliReinstalledAfterPurgeStartWithTheirDataCertificateAndToken() throws Exception {
        Command.Result install = container.run("dpkg -i /debs/castellan-server.deb /debs/castellan-cli.deb");
        assertThat(install.exitCode()).as(install.describe()).isZero();

        container.ok("systemctl enable --now " + SERVER);

        // Purge keeps /var/lib/castellan-server (the vault keys): the same certificate and token, not new ones.
        assertThat(container.await(FINGERPRINT, out -> out.matches(FINGERPRINT_FORMAT), Duration.ofSeconds(90),
                "the server's TLS fingerprint")).as("the certificate kept in the data directory").isEqualTo(fingerprint);
        assertThat(container.ok(TOKEN_DIGEST)).as("the initial admin token kept").isEqualTo(tokenDigest);
        UnitState state = UnitState.of(container, SERVER);
        assertThat(state.running()).as(state.toString()).isTrue();
        JsonNode devices = json(admin("castellan devices list -o json"));
        assertThat(devices).as("the old token still lets the admin in, and the database is the old one").hasSize(1);
        assertThat(devices.get(0).get("hostname").asText()).isEqualTo(HOST);
        retiredDeviceId = devices.get(0).get("id").asText();
    }

    @Test
    @Order(11)
    void preconfiguredDebMadeOnTheServerEnrolsTheEndpointAndLeavesOnlyTheCheckInTimer() throws Exception {
        // The plain agent was purged: the admin retires its device, and the machine registers anew.
        admin("castellan devices delete " + HOST + " --yes >/dev/null");
        assertThat(container.run("getent passwd " + ACCOUNT).exitCode()).as("the managed account exists").isZero();
        // A 60-second check-in interval, so the timer's 'check-in --if-due' is due whenever step 12 starts it.
        admin("castellan policy set default --account " + ACCOUNT + " --length 24 --check-in-seconds 60 >/dev/null");
        // The key goes from the server's answer into a root-only file: on no command line, no terminal.
        admin("umask 077 && castellan registration-keys create --name systemd-it-package --max-uses 2 --expires-in 1d"
                + " -o json > " + KEY_FILE);
        String key = Admin.key(container.root().resolve(KEY_FILE.substring(1)));
        String hashBefore = shadowHash();

        String deb;
        Command.Result install;
        try (ArgvWatch watch = ArgvWatch.forSecret(key)) {
            // The server package's own package-agent, with the agent payload it ships.
            deb = container.ok("castellan-server package-agent --type deb --server https://127.0.0.1:8443"
                    + " --server-fingerprint " + fingerprint + " --registration-key-file " + KEY_FILE + " --output /root/dist");
            install = container.run("dpkg -i " + deb, Duration.ofMinutes(3));
            assertThat(watch.seenWith("castellan")).as("the watch saw the package made and the agent register")
                    .anyMatch(line -> line.contains("castellan-server.jar package-agent "))
                    .anyMatch(line -> line.startsWith("/usr/bin/../lib/castellan-agent/runtime/bin/java ")
                            && line.contains(" register "));
            assertThat(watch.leaks()).as("the key in no command line").isEmpty();
        }
        assertThat(deb).startsWith("/root/dist/castellan-agent_").endsWith("_amd64.deb");
        assertThat(install.exitCode()).as(install.describe()).isZero();
        assertThat(install.stdout() + install.stderr()).contains("registered as device").doesNotContain(key);
        assertThat(container.run("test -e /var/lib/castellan-agent/registration-key").exitCode())
                .as("the key deleted after use").isNotZero();

        JsonNode devices = json(admin("castellan devices list -o json"));
        assertThat(devices).hasSize(1);
        String deviceId = devices.get(0).get("id").asText();
        assertThat(devices.get(0).get("hostname").asText()).isEqualTo(HOST);
        assertThat(deviceId).as("a new device, not the retired one").isNotEqualTo(retiredDeviceId);
        assertThat(install.stdout()).contains("registered as device " + deviceId);
        List<Integer> uses = new ArrayList<>();
        json(admin("castellan registration-keys list -o json")).forEach(k -> {
            if (k.path("name").asText().equals("systemd-it-package")) {
                uses.add(k.path("uses").asInt());
            }
        });
        assertThat(uses).as("the package's key, used once").containsExactly(1);

        // Timer mode: the timer enabled and waiting for its next trigger, nothing resident. Its first
        // trigger comes 2 to 3 minutes after boot (OnBootSec=2min, RandomizedDelaySec=60), which a slow
        // run can reach here: the checks below allow for a check-in it started, which ends in seconds.
        assertThat(container.ok("systemctl is-enabled " + TIMER)).isEqualTo("enabled");
        container.await("systemctl show -p " + UnitState.PROPERTIES + " " + TIMER, show -> {
            UnitState timer = UnitState.parse(show);
            return timer.activeState().equals("active") && timer.subState().equals("waiting");
        }, Duration.ofSeconds(60), "the timer active and waiting");
        assertThat(container.ok("systemctl show -p NextElapseUSecMonotonic --value " + TIMER)).as("a next trigger")
                .matches("[0-9].*s");
        UnitState resident = UnitState.of(container, AGENT);
        assertThat(resident.activeState()).as("the resident agent not running: " + resident).isEqualTo("inactive");
        assertThat(container.run("systemctl is-enabled " + AGENT).stdout().strip()).isEqualTo("disabled");
        awaitNoJvmButTheServers("after the install");

        // The first check-in at install rotated the account to the password the server reveals.
        assertThat(awaitRevealedPasswordThatLogsIn(null)).hasSize(24);
        assertThat(shadowHash()).as("a new hash, set by the new device").isNotEqualTo(hashBefore);
    }

    @Test
    @Order(12)
    void checkInServiceTheTimerStartsRotatesOnRequestThenExitsWithNothingLeftRunning() throws Exception {
        String key = Admin.key(container.root().resolve(KEY_FILE.substring(1)));
        String before = awaitRevealedPasswordThatLogsIn(null);
        admin("castellan password rotate " + HOST + " >/dev/null");
        // The timer may fire on its own now and then: a run that began before the request ends first,
        // so the start below runs a check-in of its own, or joins one that began after the request.
        awaitNoCheckInUnderWay();

        container.ok("systemctl start " + CHECKIN); // a oneshot: returns once the check-in has exited

        UnitState done = UnitState.parse(container.await("systemctl show -p " + UnitState.PROPERTIES + " " + CHECKIN,
                show -> !UnitState.parse(show).activeState().equals("activating"), Duration.ofSeconds(60),
                "the check-in service ended (or a run the timer started right after it)"));
        assertThat(done.activeState()).as(done.toString()).isEqualTo("inactive");
        assertThat(done.result()).as(done.toString()).isEqualTo("success");
        assertThat(done.execMainStatus()).as(done.toString()).isZero();
        awaitNoJvmButTheServers("after the check-in");
        assertThat(UnitState.of(container, AGENT).activeState()).isEqualTo("inactive");
        assertThat(container.ok("journalctl -u " + CHECKIN + " --no-pager -o cat"))
                .contains("rotated: an admin asked for a new password");
        String after = awaitRevealedPasswordThatLogsIn(before);
        assertThat(after).isNotEqualTo(before).hasSize(24);

        // Every unit's messages as written, and every field of every entry (the senders' command lines too).
        for (String format : List.of("cat", "json")) {
            String journal = container.ok("journalctl --no-pager -o " + format);
            assertThat(journal).as("the journal (-o %s)", format).contains("password changed for " + ACCOUNT);
            assertThat(journal).as("the registration key in no journal entry (-o %s)", format).doesNotContain(key);
            assertThat(journal).as("the passwords in no journal entry (-o %s)", format).doesNotContain(before)
                    .doesNotContain(after);
        }
    }

    @Test
    @Order(13)
    void purgingThePreconfiguredAgentTakesItsTimerAwayAndLeavesNoFailedUnit() throws Exception {
        // A check-in under way when the package goes must be stopped before its files are deleted. To
        // have one surely under way, the server is frozen (SIGSTOP) and a drop-in runs the check-in
        // without --if-due, so it waits for the server's answer (up to its 60 s read timeout).
        awaitNoCheckInUnderWay();
        String dropIn = "/run/systemd/system/" + CHECKIN + ".d";
        container.ok("mkdir -p " + dropIn + " && printf '[Service]\\nExecStart=\\nExecStart=/usr/bin/castellan-agent check-in"
                + " --state-dir /var/lib/castellan-agent\\n' > " + dropIn + "/now.conf && systemctl daemon-reload");
        long server = serverPid();
        Command.Result purge;
        container.ok("kill -STOP " + server);
        try {
            container.ok("systemctl start --no-block " + CHECKIN);
            container.await(JVMS, jvms -> jvms.lines().anyMatch(pid -> !pid.equals(Long.toString(server))),
                    Duration.ofSeconds(60), "the check-in's JVM, waiting for the frozen server");
            purge = container.run("dpkg --purge castellan-agent");
            // Read at once, well inside the check-in's read timeout: prerm stopped it, nothing else did.
            assertThat(container.ok(JVMS).lines()).as("no check-in JVM left running by the purge").containsExactly(Long.toString(server));
        } finally {
            container.ok("kill -CONT " + server);
            container.ok("rm -rf " + dropIn + " && systemctl daemon-reload");
        }
        assertThat(purge.exitCode()).as(purge.describe()).isZero();

        assertThat(container.ok("systemctl --failed --all --no-legend --plain")).isEmpty();
        assertThat(container.ok("systemctl show -p LoadState --value " + TIMER + " " + CHECKIN + " " + AGENT).lines()
                .filter(l -> !l.isBlank())).containsExactly("not-found", "not-found", "not-found");
        assertThat(container.run("test -e /etc/systemd/system/timers.target.wants/" + TIMER).exitCode())
                .as("the timer's enable link removed").isNotZero();
        assertThat(container.run("test -e /var/lib/castellan-agent").exitCode()).as("agent state purged").isNotZero();
        awaitNoJvmButTheServers("after the purge");
        assertThat(container.ok("systemctl is-system-running")).isEqualTo("running");
    }

    // --- helpers for scenarios

    private static final String FINGERPRINT = "openssl s_client -connect 127.0.0.1:8443 </dev/null 2>/dev/null"
            + " | openssl x509 -noout -fingerprint -sha256 2>/dev/null | cut -d= -f2";
    private static final String FINGERPRINT_FORMAT = "([0-9A-F]{2}:){31}[0-9A-F]{2}";
    /** A digest of the initial admin token: enough to tell it is the same one, without holding it. */
    private static final String TOKEN_DIGEST = "sha256sum < /var/lib/castellan-server/initial-admin-token | cut -d' ' -f1";

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

    /** The pids of the container's JVMs, one a line (a JVM's main thread is named java). */
    private static final String JVMS = "for p in /proc/[0-9]*; do [ \"$(cat $p/comm 2>/dev/null)\" = java ] && echo ${p#/proc/}; done; true";

    /**
     * Waits until the server's is the only JVM in the container: a check-in the timer started ends
     * within seconds; an agent left resident never does.
     */
    private void awaitNoJvmButTheServers(String when) throws Exception {
        String server = Long.toString(serverPid());
        container.await(JVMS, server::equals, Duration.ofSeconds(60), "no JVM but the server's (pid " + server + ") " + when);
    }

    private void awaitNoCheckInUnderWay() throws Exception {
        container.await("systemctl show -p ActiveState --value " + CHECKIN, state -> !state.equals("activating"),
                Duration.ofSeconds(60), "no check-in under way");
    }

    private long serverPid() throws Exception {
        UnitState server = UnitState.of(container, SERVER);
        assertThat(server.running()).as(server.toString()).isTrue();
        return server.mainPid();
    }

    private static JsonNode json(String text) throws Exception {
        return Json.mapper().readTree(text);
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
