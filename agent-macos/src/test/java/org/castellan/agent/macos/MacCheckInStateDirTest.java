package org.castellan.agent.macos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.castellan.agent.cli.AgentContext;
import org.castellan.agent.cli.AgentMain;
import org.castellan.agent.client.ServerApi;
import org.castellan.agent.macos.process.ProcessCommandRunner;
import org.castellan.agent.macos.service.LaunchdPaths;
import org.castellan.agent.macos.service.PosixPathOwnership;
import org.castellan.protocol.envelope.VaultKeyPair;
import org.castellan.protocol.messages.AccountOptions;
import org.castellan.protocol.messages.AgentPolicy;
import org.castellan.protocol.messages.CheckInRequest;
import org.castellan.protocol.messages.CheckInResponse;
import org.castellan.protocol.messages.EscrowRequest;
import org.castellan.protocol.messages.EscrowResponse;
import org.castellan.protocol.messages.RecoveryKeyEscrowRequest;
import org.castellan.protocol.messages.RecoveryKeyEscrowResponse;
import org.castellan.protocol.messages.RegisterRequest;
import org.castellan.protocol.messages.RegisterResponse;
import org.castellan.protocol.messages.RotationOutcome;
import org.castellan.protocol.messages.RotationStateResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real agent commands on a real {@link MacPlatform} (fake tools, a fresh platform per command,
 * like separate processes): a check-in with a non-default {@code --state-dir} reads the current
 * password from that directory. Before {@code useStateDir} the check-in read the default directory,
 * did not find the seeded password and refused the SecureToken account with needs-first-password.
 */
class MacCheckInStateDirTest {
    private static final String NAME = "castellan";
    private static final String RECORD = "/Users/" + NAME;
    private static final String SEEDED = "Seeded-Pass-7731";

    @TempDir
    Path temp;

    private FakeMacTools fake;
    private Path stateDir;
    private final MinimalServer server = new MinimalServer();
    private final Map<String, String> env = new HashMap<>();
    private ByteArrayOutputStream err;

    @BeforeEach
    void setUp() {
        fake = new FakeMacTools(temp.resolve("fake"));
        stateDir = temp.resolve("custom-state");
        fake.respond("dscl", List.of(".", "-read", RECORD, "UniqueID"), "UniqueID: 499\n", "", 0);
        fake.respond("dseditgroup", List.of("-o", "checkmember", "-m", NAME, "admin"), "yes " + NAME + " is a member of admin\n", "", 0);
        fake.respond("sysadminctl", List.of("-secureTokenStatus", NAME), "",
                "2024-05-02 10:11:12.345 sysadminctl[4242:987654] Secure token is ENABLED for user " + NAME + "\n", 0);
        fake.respond("dscl", List.of(".", "-read", RECORD, "accountPolicyData"),
                TestResources.text("outputs/account-policy/macos14.txt"), "", 0);
        fake.respond("fdesetup", List.of("status"), TestResources.text("outputs/fdesetup/off.txt"), "", 0);
    }

    private int run(byte[] stdin, String... args) {
        err = new ByteArrayOutputStream();
        // A new platform per command: each command is its own process on a real Mac.
        MacPlatform platform = new MacPlatform(new ProcessCommandRunner(), fake.tools(),
                new LaunchdPaths(temp.resolve("plist"), temp.resolve("logs"), false), new PosixPathOwnership(),
                temp.resolve("Users"));
        AgentContext context = new AgentContext(() -> platform, env, new ByteArrayInputStream(stdin),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Clock.systemUTC(), new SecureRandom(),
                (url, fingerprint, key, deviceId) -> server);
        return AgentMain.run(context, args);
    }

    @Test
    void checkInWithACustomStateDirChangesATokenHoldersPasswordWithThePasswordSeededThere() throws Exception {
        env.put("CASTELLAN_REGISTRATION_KEY", "reg-key-0123456789");
        assertThat(run(new byte[0], "register", "--server", "https://castellan.test:8443",
                "--server-fingerprint", "ab".repeat(32), "--state-dir", stateDir.toString())).isZero();
        assertThat(run((SEEDED + "\n").getBytes(StandardCharsets.UTF_8), "seed-password", "--state-dir", stateDir.toString()))
                .as(err.toString(StandardCharsets.UTF_8)).isZero();

        int exit = run(new byte[0], "check-in", "--state-dir", stateDir.toString());

        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(server.escrowed).hasSize(1);
        assertThat(server.committed).hasSize(1);
        // The change went through dscl with the seeded password as the old one (token holders only).
        assertThat(allDsclStdin()).anySatisfy(stdin -> assertThat(stdin)
                .startsWith("passwd \"" + RECORD + "\" \"" + SEEDED + "\" \""));
        assertThat(server.checkIns).allSatisfy(c -> assertThat(c.warnings()).doesNotContain("needs-first-password"));
        assertThat(stateDir.resolve("current-password-" + NAME)).exists();
        assertThat(fake.argvLog()).doesNotContain(SEEDED);
    }

    private List<String> allDsclStdin() {
        List<String> stdins = new ArrayList<>();
        List<List<String>> calls = fake.invocations();
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i).equals(List.of("dscl", "-q", "."))) {
                stdins.add(fake.stdinOf(i + 1));
            }
        }
        return stdins;
    }

    /** Just enough server: registers, asks for a rotation until one is committed, accepts escrows. */
    private static final class MinimalServer implements ServerApi {
        final VaultKeyPair vault = VaultKeyPair.generate("vault-1", new SecureRandom());
        final AgentPolicy policy = new AgentPolicy(NAME, 20, "full", 0, false, 30, 3600, AccountOptions.NONE);
        final List<CheckInRequest> checkIns = new ArrayList<>();
        final List<EscrowRequest> escrowed = new ArrayList<>();
        final List<String> committed = new ArrayList<>();

        public RegisterResponse register(RegisterRequest request) {
            return new RegisterResponse("device-1", vault.publicKey(), policy);
        }

        public CheckInResponse checkIn(CheckInRequest request) {
            checkIns.add(request);
            boolean rotate = committed.isEmpty();
            return new CheckInResponse(Instant.now(), policy, vault.publicKey(), rotate, rotate ? "no-password" : null);
        }

        public EscrowResponse escrow(EscrowRequest request) {
            escrowed.add(request);
            return new EscrowResponse(request.rotationId(), "pending");
        }

        public RotationStateResponse commit(String rotationId, RotationOutcome outcome) {
            committed.add(rotationId);
            return new RotationStateResponse(rotationId, "committed");
        }

        public RotationStateResponse abort(String rotationId, RotationOutcome outcome) {
            return new RotationStateResponse(rotationId, "aborted");
        }

        public RecoveryKeyEscrowResponse escrowRecoveryKeys(RecoveryKeyEscrowRequest request) {
            return new RecoveryKeyEscrowResponse(request.keys().size(), 0);
        }
    }
}
