package org.castellan.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.castellan.agent.config.EnvVars;
import org.castellan.agent.fake.FakePlatform;
import org.castellan.agent.fake.FakeServer;
import org.castellan.agent.fake.SecretScan;
import org.castellan.agent.state.JournalEntry;
import org.castellan.agent.state.RotationJournal;
import org.castellan.agent.state.StateDir;
import org.castellan.agent.state.StateStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end, with a fake platform and a fake server behind the real commands. */
class AgentMainTest {
    private static final String FP = "ab".repeat(32);
    private static final String REG_KEY = "reg-key-0123456789";

    @TempDir
    Path tmp;
    Path state;
    FakePlatform platform;
    FakeServer server;
    Map<String, String> env;
    byte[] stdin = new byte[0];
    ByteArrayOutputStream out;
    ByteArrayOutputStream err;
    List<String> connections;

    @BeforeEach
    void setUp() {
        state = tmp.resolve("state");
        platform = new FakePlatform(tmp.resolve("default-state"));
        server = new FakeServer("device-42");
        env = new HashMap<>();
        connections = new ArrayList<>();
    }

    private int run(String... args) {
        out = new ByteArrayOutputStream();
        err = new ByteArrayOutputStream();
        AgentContext context = new AgentContext(() -> platform, env, new ByteArrayInputStream(stdin),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Clock.systemUTC(), new SecureRandom(), (url, fingerprint, key, deviceId) -> {
                    connections.add(url + " " + fingerprint + " " + deviceId);
                    return server;
                });
        return AgentMain.run(context, args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private int register() {
        env.put(EnvVars.REGISTRATION_KEY, REG_KEY);
        return run("register", "--server", "https://castellan.test:8443", "--server-fingerprint", FP,
                "--state-dir", state.toString());
    }

    @Test
    void everyCommandRefusesAStateDirectoryOthersCanReadNamingEachFileAndItsFix() throws Exception {
        assertThat(register()).as(err()).isEqualTo(AgentMain.OK);
        Path key = state.resolve("device.key");
        Files.setPosixFilePermissions(state, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        Path config = state.resolve("config.json");
        Files.writeString(config, "{}");
        Files.setPosixFilePermissions(config, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-r--"));
        for (String command : new String[] {"check-in", "status", "run"}) {
            assertThat(run(command, "--state-dir", state.toString())).as(command).isEqualTo(AgentMain.FAILED);
            assertThat(err()).contains(state + " is readable by group and others (mode 0755): chmod 700 " + state)
                    .contains(key + " is readable and writable by group and others (mode 0666): chmod 600 " + key)
                    .contains(config + " is writable by group (mode 0664): chmod go-w " + config);
        }
        assertThat(connections).as("nothing reached the server").hasSize(1);
        Files.setPosixFilePermissions(state, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(config, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(run("status", "--state-dir", state.toString())).as(err()).isEqualTo(AgentMain.OK);
    }

    @Test
    void registerThenCheckInRotatesAndStatusShowsIt() throws Exception {
        assertThat(register()).as(err()).isZero();
        assertThat(out()).contains("registered as device device-42");
        assertThat(err()).isEmpty();
        assertThat(server.registrations).singleElement().satisfies(r -> {
            assertThat(r.registrationKey()).isEqualTo(REG_KEY);
            assertThat(r.os()).isEqualTo("linux");
            assertThat(r.hostname()).isEqualTo("host-1");
        });
        assertThat(connections).containsExactly("https://castellan.test:8443 " + FP + " null");
        assertThat(state.resolve("agent.json")).exists();
        assertThat(state.resolve("device.key")).exists();
        assertThat(platform.securedDirs).contains(state.toAbsolutePath());

        assertThat(run("check-in", "--state-dir", state.toString())).as(err()).isZero();
        assertThat(out()).contains("password of account root rotated: first password set: the server held none");
        assertThat(platform.accounts.password).isEqualTo(server.committedPassword()).isNotEqualTo("initial-password");
        assertThat(connections).last().isEqualTo("https://castellan.test:8443 " + FP + " device-42");

        assertThat(run("check-in", "--state-dir", state.toString())).isZero();
        assertThat(out()).contains("no rotation due");

        assertThat(run("status", "--state-dir", state.toString())).isZero();
        assertThat(out()).contains("registered: yes", "device id: device-42", "server: https://castellan.test:8443",
                "pinned sha256 " + FP, "key protection: test-identity", "unfinished rotation: none",
                "(account root)", "service: not installed");

        assertThat(SecretScan.filesContaining(tmp, platform.accounts.password)).isEmpty();
        assertThat(SecretScan.filesContaining(tmp, REG_KEY)).isEmpty();
    }

    @Test
    void registerIfUnregisteredLeavesARegisteredDeviceAsItIs() throws Exception {
        assertThat(register()).isZero();
        String key = Files.readString(state.resolve("device.key"));
        String agentJson = Files.readString(state.resolve("agent.json"));

        assertThat(run("register", "--if-unregistered", "--server", "https://other.test:8443",
                "--state-dir", state.toString())).as(err()).isZero();
        assertThat(out()).contains("already registered as device device-42").contains("nothing to do");
        assertThat(server.registrations).hasSize(1);
        assertThat(Files.readString(state.resolve("device.key"))).isEqualTo(key);
        assertThat(Files.readString(state.resolve("agent.json"))).isEqualTo(agentJson);

        assertThat(run("register", "--if-unregistered", "--force", "--state-dir", state.toString()))
                .isEqualTo(AgentMain.USAGE);
        assertThat(err()).contains("conflict");
    }

    @Test
    void registerIfUnregisteredRegistersAFreshDevice() {
        env.put(EnvVars.REGISTRATION_KEY, REG_KEY);
        assertThat(run("register", "--if-unregistered", "--server", "https://castellan.test:8443",
                "--state-dir", state.toString())).as(err()).isZero();
        assertThat(out()).contains("registered as device device-42");
        assertThat(server.registrations).hasSize(1);
    }

    @Test
    void checkInIfDueSkipsUntilThePolicyIntervalHasPassed() throws Exception {
        assertThat(register()).isZero();
        assertThat(run("check-in", "--if-due", "--state-dir", state.toString())).as(err()).isZero();
        assertThat(out()).as("never checked in: due").contains("checked in");
        assertThat(server.checkIns).hasSize(1);

        assertThat(run("check-in", "--if-due", "--state-dir", state.toString())).as(err()).isZero();
        assertThat(out()).startsWith("not due; next check-in after ");
        assertThat(server.checkIns).as("no request at all").hasSize(1);

        assertThat(run("check-in", "--state-dir", state.toString())).isZero();
        assertThat(server.checkIns).as("without --if-due it always checks in").hasSize(2);
    }

    @Test
    void checkInIfDueRetriesAtOnceAfterAFailedCheckIn() throws Exception {
        assertThat(register()).isZero();
        assertThat(run("check-in", "--state-dir", state.toString())).isZero();
        server.unreachable = true;
        assertThat(run("check-in", "--state-dir", state.toString())).isEqualTo(AgentMain.FAILED);
        server.unreachable = false;
        assertThat(run("check-in", "--if-due", "--state-dir", state.toString())).as(err()).isZero();
        assertThat(out()).contains("checked in");
    }

    @Test
    void severalServersAreKeptInOrderAndHandedToTheConnector() throws Exception {
        env.put(EnvVars.REGISTRATION_KEY, REG_KEY);
        assertThat(run("register", "--server", "https://A.test:8443, https://b.test:8443", "--state-dir",
                state.toString())).as(err()).isZero();
        assertThat(connections).containsExactly("https://a.test:8443,https://b.test:8443 null null");
        assertThat(run("check-in", "--state-dir", state.toString())).isZero();
        assertThat(connections).last().isEqualTo("https://a.test:8443,https://b.test:8443 null device-42");
    }

    @Test
    void secondRegistrationIsRefusedUnlessForced() throws Exception {
        assertThat(register()).isZero();
        String firstKey = Files.readString(state.resolve("device.key"));

        assertThat(register()).isEqualTo(AgentMain.FAILED);
        assertThat(err()).contains("already registered as device device-42").contains("--force");
        assertThat(server.registrations).hasSize(1);

        assertThat(run("register", "--server", "https://castellan.test:8443", "--state-dir", state.toString(),
                "--force")).as(err()).isZero();
        assertThat(Files.readString(state.resolve("device.key"))).isNotEqualTo(firstKey);
        assertThat(new StateStore(new StateDir(state)).require().serverFingerprint()).isNull();
    }

    @Test
    void registrationKeyOnTheCommandLineWorksButWarns() {
        assertThat(run("register", "--server", "https://s.test", "--registration-key", REG_KEY,
                "--state-dir", state.toString())).isZero();
        assertThat(err()).startsWith("warning: --registration-key shows the key");
        assertThat(err()).doesNotContain(REG_KEY);
    }

    @Test
    void registrationKeyDashIsReadFromStdin() {
        stdin = (REG_KEY + "\n").getBytes(StandardCharsets.UTF_8);

        assertThat(run("register", "--server", "https://s.test", "--registration-key", "-",
                "--state-dir", state.toString())).as(err()).isZero();
        assertThat(err()).isEmpty();
        assertThat(server.registrations.get(0).registrationKey()).isEqualTo(REG_KEY);
    }

    @Test
    void registrationKeyFileIsRead() throws Exception {
        Path keyFile = tmp.resolve("key");
        Files.writeString(keyFile, "  " + REG_KEY + "\r\n");

        assertThat(run("register", "--server", "https://s.test", "--registration-key-file", keyFile.toString(),
                "--state-dir", state.toString())).as(err()).isZero();
        assertThat(server.registrations.get(0).registrationKey()).isEqualTo(REG_KEY);
    }

    @Test
    void conflictingFlagsAreRejectedBeforeAnythingRuns() {
        assertThat(run("register", "--server", "https://s.test", "--registration-key", REG_KEY,
                "--registration-key-file", "/nonexistent", "--state-dir", state.toString())).isEqualTo(AgentMain.USAGE);
        assertThat(err()).contains("conflict");
        assertThat(server.calls).isEmpty();
        assertThat(state).doesNotExist();
    }

    @Test
    void serverAndStateDirComeFromEnvironmentAndConfigFile() throws Exception {
        Files.createDirectories(state, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        // readable by others is fine for the config file (it holds no secret)
        Files.writeString(state.resolve("config.json"), "{\"server\":\"https://from-file.test:9\"}");
        env.put(EnvVars.STATE_DIR, state.toString());
        env.put(EnvVars.REGISTRATION_KEY, REG_KEY);

        assertThat(run("register")).as(err()).isZero();
        assertThat(connections).containsExactly("https://from-file.test:9 null null");

        env.put(EnvVars.SERVER, "https://from-env.test:8");
        assertThat(run("register", "--force")).as(err()).isZero();
        assertThat(connections).last().isEqualTo("https://from-env.test:8 null null");
    }

    @Test
    void unknownKeyInConfigFileIsAUsageError() throws Exception {
        Files.createDirectories(state, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.writeString(state.resolve("config.json"), "{\"sever\":\"https://typo.test\"}");
        env.put(EnvVars.REGISTRATION_KEY, REG_KEY);

        assertThat(run("register", "--state-dir", state.toString())).isEqualTo(AgentMain.USAGE);
        assertThat(err()).contains("config.json");
    }

    @Test
    void failedCheckInExitsNonZeroWithOneLineAndIsRecordedInStatus() {
        assertThat(register()).isZero();
        server.unreachable = true;

        assertThat(run("check-in", "--state-dir", state.toString())).isEqualTo(AgentMain.FAILED);
        assertThat(err().strip()).doesNotContain("\n")
                .startsWith("castellan-agent check-in: check in with https://castellan.test:8443: server-unreachable");

        assertThat(run("status", "--state-dir", state.toString())).isZero();
        assertThat(out()).contains("last error:").contains("server-unreachable").contains("last check-in: never");
    }

    @Test
    void checkInBeforeRegistrationSaysSo() {
        assertThat(run("check-in", "--state-dir", state.toString())).isEqualTo(AgentMain.FAILED);
        assertThat(err()).contains("not registered").contains("castellan-agent register");
    }

    @Test
    void interruptedRotationIsResolvedBeforeTheCheckIn() throws Exception {
        assertThat(register()).isZero();
        assertThat(run("check-in", "--state-dir", state.toString())).isZero();
        String working = platform.accounts.password;
        // A rotation the server never heard of, interrupted after the password was set: the
        // server cannot commit it, so the agent must rotate again at once even though the
        // server does not ask for it.
        new RotationJournal(new StateDir(state)).write(new JournalEntry(1, "00000000-0000-0000-0000-000000000001",
                "root", "0", JournalEntry.Step.SET, "changes-0", Instant.now()));

        assertThat(run("check-in", "--state-dir", state.toString())).as(err()).isZero();

        assertThat(out()).contains("interrupted rotation resolved: repair_needed")
                .contains("rotated: repairing an interrupted rotation the server never committed");
        assertThat(platform.accounts.password).isNotEqualTo(working).isEqualTo(server.committedPassword());
        assertThat(state.resolve(RotationJournal.FILE)).doesNotExist();
    }

    @Test
    void unmanageableAccountIsReportedToTheServer() {
        server.policy = new org.castellan.protocol.messages.AgentPolicy("admin", 20, "full", 0, false, 30, 3600,
                org.castellan.protocol.messages.AccountOptions.NONE);
        assertThat(register()).isZero();

        assertThat(run("check-in", "--state-dir", state.toString())).isEqualTo(AgentMain.FAILED);

        assertThat(server.checkIns).singleElement().satisfies(c -> {
            assertThat(c.account()).isNull();
            assertThat(c.accountProblem()).startsWith("account-missing");
        });
        assertThat(err()).contains("rotate password (no-password): account-missing");
    }

    @Test
    void installServiceHandsThePlatformACommandThatRunsThisAgent() {
        assertThat(run("install-service", "--state-dir", state.toString())).as(err()).isZero();

        assertThat(platform.installed).singleElement().satisfies(spec -> {
            assertThat(spec.stateDir()).isEqualTo(state.toAbsolutePath());
            assertThat(Path.of(spec.command().get(0))).isAbsolute();
            assertThat(spec.command().get(0)).contains("java");
            assertThat(spec.command()).containsSubsequence("-cp", AgentMain.class.getName(), "run", "--state-dir",
                    state.toAbsolutePath().toString());
        });

        assertThat(run("uninstall-service")).isZero();
        assertThat(platform.uninstalls).isEqualTo(1);
    }

    @Test
    void defaultStateDirIsThePlatforms() {
        assertThat(run("status")).isZero();
        assertThat(out()).contains("state directory: " + tmp.resolve("default-state")).contains("registered: no");
    }

    @Test
    void aSubcommandAloneParsesAndHelpsExactlyAsInTheFullModel() {
        AgentContext context = new AgentContext(() -> platform, env, new ByteArrayInputStream(stdin),
                System.out, System.err, Clock.systemUTC(), new SecureRandom(), (url, fingerprint, key, deviceId) -> server);
        picocli.CommandLine full = AgentMain.commandLine(context);
        for (Map.Entry<String, picocli.CommandLine> sub : full.getSubcommands().entrySet()) {
            picocli.CommandLine alone = AgentMain.commandLineFor(context, sub.getKey(), "--help");
            assertThat(alone.getSubcommands()).as(sub.getKey()).containsOnlyKeys(sub.getKey());
            assertThat(alone.getSubcommands().get(sub.getKey()).getUsageMessage())
                    .as(sub.getKey()).isEqualTo(sub.getValue().getUsageMessage());
        }
        assertThat(AgentMain.commandLineFor(context, "--help").getSubcommands()).hasSameSizeAs(full.getSubcommands());
        assertThat(AgentMain.commandLineFor(context, "chek-in").getSubcommands()).hasSameSizeAs(full.getSubcommands());
        assertThat(AgentMain.commandLineFor(context).getSubcommands()).hasSameSizeAs(full.getSubcommands());
    }

    @Test
    void aMistypedSubcommandStillGetsASuggestion() {
        assertThat(run("chek-in")).isEqualTo(AgentMain.USAGE);
        assertThat(err()).contains("check-in");
    }
}
