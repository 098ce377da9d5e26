package org.castellan.agent.macos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import org.castellan.agent.macos.parse.IoregPlatform;
import org.castellan.agent.macos.process.ProcessCommandRunner;
import org.castellan.agent.macos.service.LaunchdPaths;
import org.castellan.agent.macos.service.PosixPathOwnership;
import org.castellan.agent.selftest.SelfTest;
import org.castellan.agent.spi.DiagnosticCheck;
import org.castellan.agent.spi.ManagedAccount;
import org.castellan.agent.spi.PasswordCheck;
import org.castellan.agent.state.StateDir;
import org.castellan.protocol.Secret;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The macOS check before commit ({@code dscl . -authonly}, password on stdin) and the macOS
 * selftest sequence, against fake dscl/dseditgroup/sysadminctl executables run by the real
 * process runner: what has NOT run on a real Mac, pinned command by command.
 */
class MacProofTest {
    private static final String NAME = "castellan-st-abc123";
    private static final String RECORD = "/Users/" + NAME;
    private static final String NOT_FOUND = "<dscl_cmd> DS Error: -14136 (eDSRecordNotFound)\n";
    private static final String AUTH_FAILED = "<dscl_cmd> DS Error: -14090 (eDSAuthFailed)\n";

    @TempDir
    Path temp;
    FakeMacTools fake;
    MacPlatform platform;
    Path stateDir;

    @BeforeEach
    void setUp() throws Exception {
        fake = new FakeMacTools(temp.resolve("fake"));
        platform = new MacPlatform(new ProcessCommandRunner(), fake.tools(),
                new LaunchdPaths(temp.resolve("plist"), temp.resolve("logs"), false), new PosixPathOwnership(),
                temp.resolve("Users"));
        stateDir = temp.resolve("state");
        Files.createDirectories(stateDir);
        platform.useStateDir(stateDir);
    }

    private static String policy(String lastSet) {
        return TestResources.text("outputs/account-policy/macos14.txt").replace("1709302467.123456", lastSet);
    }

    @Test
    void authonlyWithThePasswordOnStdinProvesItAndEdsAuthFailedRefusesIt() throws Exception {
        fake.onCall(2, "dscl", List.of("-q", "."), "", AUTH_FAILED, 0);
        ManagedAccount account = new ManagedAccount("castellan", "499");

        PasswordCheck right;
        PasswordCheck wrong;
        try (Secret good = Secret.of("Right-Pass-4821-xyz"); Secret bad = Secret.of("Wrong-Pass-1193-abc")) {
            right = platform.accounts().verifyPassword(account, good);
            wrong = platform.accounts().verifyPassword(account, bad);
        }

        assertThat(right.proven()).isTrue();
        assertThat(right.detail()).contains("dscl . -authonly accepts it");
        assertThat(wrong.proven()).isFalse();
        assertThat(fake.stdinOf(1)).isEqualTo("authonly \"castellan\" \"Right-Pass-4821-xyz\"\nquit\n");
        assertThat(fake.argvLog()).doesNotContain("Right-Pass").doesNotContain("Wrong-Pass");
    }

    @Test
    void macSelftestCreatesAHiddenStandardUserSetsAndProvesTwoPasswordsAndDeletesIt() throws Exception {
        List<String> readUid = List.of(".", "-read", RECORD, "UniqueID");
        fake.respond("dscl", readUid, "UniqueID: 499\n", "", 0);
        fake.onCall(1, "dscl", readUid, "", NOT_FOUND, 56);
        fake.onCall(2, "dscl", readUid, "", NOT_FOUND, 56);
        fake.onCall(5, "dscl", readUid, "", NOT_FOUND, 56);
        fake.respond("dscl", List.of(".", "-list", "/Users", "UniqueID"), TestResources.text("outputs/dscl-list/users.txt"), "", 0);
        List<String> readPolicy = List.of(".", "-read", RECORD, "accountPolicyData");
        fake.onCall(1, "dscl", readPolicy, policy("1764630000.1"), "", 0);
        fake.onCall(2, "dscl", readPolicy, policy("1764630001.1"), "", 0);
        fake.onCall(3, "dscl", readPolicy, policy("1764630001.1"), "", 0);
        fake.onCall(4, "dscl", readPolicy, policy("1764630002.1"), "", 0);
        fake.respond("sysadminctl", List.of("-secureTokenStatus", NAME), "",
                "2026-12-01 10:11:12.345 sysadminctl[4242:987654] Secure token is DISABLED for user " + NAME + "\n", 0);
        // dscl -q . sessions: create, passwd, authonly, authonly (wrong), passwd, authonly, authonly (previous), delete.
        fake.onCall(4, "dscl", List.of("-q", "."), "", AUTH_FAILED, 0);
        fake.onCall(7, "dscl", List.of("-q", "."), "", AUTH_FAILED, 0);

        List<DiagnosticCheck> steps = new SelfTest(platform, new StateDir(stateDir), Clock.systemUTC(), new SecureRandom(),
                s -> {}, NAME).run();

        assertThat(steps).as(steps.toString()).allMatch(s -> s.status() == DiagnosticCheck.Status.OK);
        List<String> sessions = new java.util.ArrayList<>();
        List<List<String>> calls = fake.invocations();
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i).equals(List.of("dscl", "-q", "."))) {
                sessions.add(fake.stdinOf(i + 1).lines().findFirst().orElse("").split(" ")[0]);
            }
        }
        assertThat(sessions).containsExactly("create", "passwd", "authonly", "authonly", "passwd", "authonly", "authonly", "delete");
        String create = stdinOfFirstSession();
        assertThat(create).contains("create \"" + RECORD + "\" \"UserShell\" \"/usr/bin/false\"",
                "create \"" + RECORD + "\" \"IsHidden\" \"1\"");
        assertThat(calls).noneMatch(c -> c.get(0).equals("dseditgroup") && c.contains("-a"));
        assertThat(fake.argvLog()).doesNotContain("passwd \"");
        try (var files = Files.list(stateDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no password of the deleted account is kept")
                    .noneMatch(f -> f.contains(NAME));
        }
    }

    @Test
    void ioregGivesThePlatformUuid() {
        String output = TestResources.text("outputs/ioreg/platform-expert.txt");

        assertThat(IoregPlatform.platformUuid(output)).contains("1a2b3c4d-5e6f-7081-92a3-b4c5d6e7f809");
        assertThat(IoregPlatform.platformUuid("nothing here")).isEmpty();
        fake.respond("ioreg", List.of("-rd1", "-c", "IOPlatformExpertDevice"), output, "", 0);
        assertThat(platform.machineIdentity().sources()).containsOnlyKeys("IOPlatformUUID");
    }

    private String stdinOfFirstSession() {
        List<List<String>> calls = fake.invocations();
        return fake.stdinOf(calls.indexOf(List.of("dscl", "-q", ".")) + 1);
    }
}
