package org.castellan.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.castellan.agent.config.EnvVars;
import org.castellan.agent.fake.FakePlatform;
import org.castellan.agent.fake.FakeServer;
import org.castellan.agent.spi.DiagnosticCheck;
import org.castellan.agent.state.JournalEntry;
import org.castellan.agent.state.RotationJournal;
import org.castellan.agent.state.StateDir;
import org.castellan.protocol.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** diagnose, selftest, the check before commit and clone detection through the real CLI, on the core fakes. */
class ProofCommandsTest {
    private static final String FP = "cd".repeat(32);
    private static final String REG_KEY = "reg-key-proof-0123456789";

    @TempDir
    Path tmp;
    Path state;
    FakePlatform platform;
    FakeServer server;
    Map<String, String> env;
    ByteArrayOutputStream out;
    ByteArrayOutputStream err;

    @BeforeEach
    void setUp() {
        state = tmp.resolve("state");
        platform = new FakePlatform(tmp.resolve("default-state"));
        server = new FakeServer("device-7");
        env = new HashMap<>();
    }

    private int run(String... args) {
        out = new ByteArrayOutputStream();
        err = new ByteArrayOutputStream();
        AgentContext context = new AgentContext(() -> platform, env, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Clock.systemUTC(), new SecureRandom(), (url, fingerprint, key, deviceId) -> server);
        return AgentMain.run(context, args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private void registerAndRotate() {
        env.put(EnvVars.REGISTRATION_KEY, REG_KEY);
        assertThat(run("register", "--server", "https://castellan.test:8443", "--server-fingerprint", FP,
                "--state-dir", state.toString())).as(err()).isZero();
        assertThat(run("check-in", "--state-dir", state.toString())).as(err()).isZero();
        assertThat(out()).contains("rotated: first password set: the server held none");
    }

    @Test
    void diagnoseOfAHealthyDevicePassesAndNamesEveryCheck() throws Exception {
        registerAndRotate();
        platform.platformChecks.add(DiagnosticCheck.ok("chpasswd", "/usr/sbin/chpasswd (package passwd 1:4.13)"));

        assertThat(run("diagnose", "--state-dir", state.toString())).as(out()).isZero();

        assertThat(out()).contains("[ok  ] registration: device device-7", "[ok  ] server-reachable",
                "[ok  ] server-certificate: matches (pinned sha256 " + FP + ")", "[ok  ] clock-skew",
                "[ok  ] machine-identity: matches the registration (machine-id)",
                "[ok  ] managed-account: root (0) present", "[ok  ] rotation-journal: no unfinished rotation",
                "[ok  ] last-check-in", "[ok  ] last-rotation: account root", "[ok  ] chpasswd",
                "[warn] service: not installed", "all checks passed");
        assertThat(server.calls).as("diagnose only probes /healthz").endsWith("health");
    }

    @Test
    void diagnoseFailsOnAClockBeyondTheSignatureWindowAndSaysSoInJson() throws Exception {
        registerAndRotate();
        server.serverTime = Instant.now().minusSeconds(900);

        assertThat(run("diagnose", "-o", "json", "--state-dir", state.toString())).isEqualTo(AgentMain.FAILED);

        JsonNode report = Json.mapper().readTree(out());
        assertThat(report.get("passed").asBoolean()).isFalse();
        JsonNode skew = null;
        for (JsonNode check : report.get("checks")) {
            if (check.get("name").asText().equals("clock-skew")) {
                skew = check;
            }
        }
        assertThat(skew).isNotNull();
        assertThat(skew.get("status").asText()).isEqualTo("fail");
        assertThat(skew.get("detail").asText()).contains("ahead of the server's");
    }

    @Test
    void diagnoseOfAnUnregisteredDeviceFailsButStillReportsTheRest() {
        assertThat(run("diagnose", "--state-dir", state.toString())).isEqualTo(AgentMain.FAILED);

        assertThat(out()).contains("[fail] registration: not registered", "[ok  ] managed-account", "[ok  ] rotation-journal");
    }

    @Test
    void supportBundleHoldsTheReportAndStateButNoSecret() throws Exception {
        registerAndRotate();
        String password = platform.accounts.password;
        String sealedKey = Json.mapper().readTree(state.resolve("device.key").toFile()).get("sealed").asText();
        // The agent refuses a state directory with any group or other access, its logs included.
        Path logs = Files.createDirectories(state.resolve("logs"),
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        Files.writeString(logs.resolve("agent.log"), "2026-12-01 check-in done\n");
        Path bundle = tmp.resolve("support/bundle.zip");

        assertThat(run("diagnose", "--bundle", bundle.toString(), "--state-dir", state.toString())).as(out() + err()).isZero();

        Map<String, byte[]> entries = unzip(bundle);
        assertThat(entries).containsKeys("diagnose.txt", "diagnose.json", "state/agent.json", "state/listing.txt",
                "logs/agent.log").doesNotContainKey("state/device.key");
        assertThat(new String(entries.get("state/listing.txt"), StandardCharsets.UTF_8)).contains("device.key");
        for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
            String text = new String(entry.getValue(), StandardCharsets.UTF_8);
            assertThat(text).as(entry.getKey()).doesNotContain(password, REG_KEY, sealedKey,
                    Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8)));
        }
        assertThat(Files.getPosixFilePermissions(bundle)).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(err()).contains("support bundle written to");
    }

    @Test
    void selftestThroughTheCliReportsEachStepAndPasses() {
        assertThat(run("selftest", "--throwaway-account", "--state-dir", state.toString())).as(out()).isZero();

        assertThat(out()).contains("[ok  ] create-account", "[ok  ] prove-second-password", "[ok  ] delete-account",
                "selftest passed");
        assertThat(run("selftest", "--state-dir", state.toString())).isEqualTo(AgentMain.USAGE);
    }

    @Test
    void passwordThatNeverAuthenticatesLeavesTheRotationPendingAndTheNextCheckInReplacesIt() throws Exception {
        registerAndRotate();
        String committed = server.committedPassword();
        server.rotateRequested = true;
        platform.accounts.checksThatFail = Integer.MAX_VALUE;

        assertThat(run("check-in", "--state-dir", state.toString())).isEqualTo(AgentMain.FAILED);

        assertThat(err()).contains("does not authenticate", "stays pending, neither committed nor aborted");
        assertThat(server.committedPassword()).isEqualTo(committed);
        assertThat(server.pendingPasswords()).containsExactly(platform.accounts.password);
        assertThat(new RotationJournal(new StateDir(state)).read()).get().extracting(JournalEntry::step)
                .isEqualTo(JournalEntry.Step.UNVERIFIED);
        assertThat(run("diagnose", "--state-dir", state.toString())).isEqualTo(AgentMain.FAILED);
        assertThat(out()).contains("[fail] rotation-journal");

        platform.accounts.checksThatFail = 0;
        assertThat(run("check-in", "--state-dir", state.toString())).as(err()).isZero();
        assertThat(out()).contains("interrupted rotation resolved: unverified", "rotated: an admin asked for a new password");
        assertThat(server.committedPassword()).isEqualTo(platform.accounts.password);
    }

    @Test
    void copiedStateDirectoryStopsRotatingReportsItselfAndRegistersAgainWithForce() throws Exception {
        registerAndRotate();
        String committed = server.committedPassword();
        new RotationJournal(new StateDir(state)).write(new JournalEntry(1, "11111111-2222-3333-4444-555555555555", "root",
                "0", JournalEntry.Step.SET, "m", Instant.now()));
        int calls = server.calls.size();
        platform.identity = Map.of("machine-id", "fedcba9876543210fedcba9876543210");
        server.rotateRequested = true;

        assertThat(run("check-in", "--state-dir", state.toString())).isEqualTo(AgentMain.FAILED);

        assertThat(err()).contains("copied from another machine", "machine-id differ", "nothing was rotated",
                "the server was told", "register --force");
        assertThat(server.calls.subList(calls, server.calls.size())).containsExactly("check-in");
        assertThat(server.checkIns).last().satisfies(c -> assertThat(c.cloneDetected()).contains("machine-id"));
        assertThat(server.committedPassword()).isEqualTo(committed);
        assertThat(new RotationJournal(new StateDir(state)).read()).as("the original's journal is left alone").isPresent();
        assertThat(run("diagnose", "--state-dir", state.toString())).isEqualTo(AgentMain.FAILED);
        assertThat(out()).contains("[fail] machine-identity: this state directory was copied");

        assertThat(run("register", "--force", "--server", "https://castellan.test:8443", "--state-dir", state.toString()))
                .as(err()).isZero();
        assertThat(new RotationJournal(new StateDir(state)).read()).as("the copied journal is discarded").isEmpty();
        assertThat(server.registrations).hasSize(2);
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
