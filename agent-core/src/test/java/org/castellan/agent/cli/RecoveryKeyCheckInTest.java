package org.castellan.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.castellan.agent.config.EnvVars;
import org.castellan.agent.fake.FakePlatform;
import org.castellan.agent.fake.FakeRecoveryKeys.Key;
import org.castellan.agent.fake.FakeServer;
import org.castellan.agent.fake.SecretScan;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.client.ServerException;
import org.castellan.protocol.Secret;
import org.castellan.protocol.messages.AccountOptions;
import org.castellan.protocol.messages.AgentPolicy;
import org.castellan.protocol.messages.CheckInRequest;
import org.castellan.protocol.messages.EscrowedRecoveryKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recovery-key escrow as part of a check-in, through the real commands, a fake platform and a fake server. */
class RecoveryKeyCheckInTest {
    private static final Key OS = new Key("\\\\?\\Volume{os}\\", "C:", "{1A2B3C4D-0000-4000-8000-00000000000A}",
            "111111-222222-333333-444444-555555-666666-777777-888888");
    private static final Key DATA = new Key("\\\\?\\Volume{data}\\", "D:", "{9F8E7D6C-0000-4000-8000-00000000000B}",
            "123456-234567-345678-456789-567890-678901-789012-890123");
    private static final Key DATA_NEW = new Key(DATA.volumeId(), "D:", "{0C0C0C0C-0000-4000-8000-00000000000C}",
            "999999-888888-777777-666666-555555-444444-333333-222222");

    @TempDir
    Path tmp;
    Path state;
    FakePlatform platform;
    FakeServer server;
    ByteArrayOutputStream out;
    ByteArrayOutputStream err;

    @BeforeEach
    void setUp() {
        state = tmp.resolve("state");
        platform = new FakePlatform(tmp.resolve("default-state"));
        server = new FakeServer("device-42");
        platform.recoveryKeys.keys.addAll(List.of(OS, DATA));
        platform.recoveryKeys.unprotectedVolumes.add("G: (locked)");
        Map<String, String> env = new HashMap<>();
        env.put(EnvVars.REGISTRATION_KEY, "reg-key-0123456789");
        assertThat(run(env, "register", "--server", "https://castellan.test:8443", "--state-dir", state.toString()))
                .as(err()).isZero();
    }

    private int run(Map<String, String> env, String... args) {
        out = new ByteArrayOutputStream();
        err = new ByteArrayOutputStream();
        AgentContext context = new AgentContext(() -> platform, env, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Clock.systemUTC(), new SecureRandom(), (url, fingerprint, key, deviceId) -> server);
        return AgentMain.run(context, args);
    }

    private int checkIn() {
        return run(Map.of(), "check-in", "--state-dir", state.toString());
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private CheckInRequest lastCheckIn() {
        return server.checkIns.get(server.checkIns.size() - 1);
    }

    private void assertEverySecretClosed() {
        assertThat(platform.recoveryKeys.handedOut).isNotEmpty().allMatch(Secret::isCleared);
    }

    @Test
    void firstCheckInEscrowsEveryKeySealedToItsVolumeAfterThePasswordWork() {
        assertThat(checkIn()).as(err()).isZero();

        assertThat(server.calls).containsExactly("register", "check-in", "escrow", "commit", "recovery-keys");
        assertThat(server.recoveryKeys).containsExactly(
                Map.entry(OS.volumeId() + "/" + OS.protectorId(), OS.recoveryPassword()),
                Map.entry(DATA.volumeId() + "/" + DATA.protectorId(), DATA.recoveryPassword()));
        assertThat(server.recoveryEscrows.get(0).keys()).extracting(EscrowedRecoveryKey::volumeLabel).containsExactly("C:", "D:");
        assertThat(server.recoveryEscrows.get(0).unprotectedVolumes()).containsExactly("G: (locked)");
        assertThat(out()).contains("recovery keys escrowed");
        assertEverySecretClosed();
    }

    @Test
    void unchangedKeysAreNotSentAgain() {
        assertThat(checkIn()).isZero();
        assertThat(checkIn()).isZero();
        assertThat(checkIn()).isZero();

        assertThat(platform.recoveryKeys.scans).isEqualTo(3);
        assertThat(server.recoveryEscrows).hasSize(1);
        assertEverySecretClosed();
    }

    @Test
    void aChangedProtectorOrUnprotectedVolumeSendsTheFullSetAgain() {
        assertThat(checkIn()).isZero();
        platform.recoveryKeys.keys.set(1, DATA_NEW);

        assertThat(checkIn()).isZero();

        assertThat(server.recoveryEscrows).hasSize(2);
        assertThat(server.recoveryKeys).containsOnlyKeys(OS.volumeId() + "/" + OS.protectorId(),
                DATA_NEW.volumeId() + "/" + DATA_NEW.protectorId());

        platform.recoveryKeys.unprotectedVolumes.clear();
        assertThat(checkIn()).isZero();
        assertThat(server.recoveryEscrows).hasSize(3);
        assertThat(server.recoveryEscrows.get(2).unprotectedVolumes()).isEmpty();
        assertEverySecretClosed();
    }

    @Test
    void aFailedEscrowIsReportedAndRetriedAtTheNextCheckIn() {
        server.recoveryFailure = new ServerException(503, "http-503", "service unavailable");

        assertThat(checkIn()).as(err()).isZero();

        assertThat(server.committedPassword()).isEqualTo(platform.accounts.password);
        assertThat(out()).contains("warning: escrow 2 recovery keys");
        assertThat(lastCheckIn().warnings()).containsExactly("recovery-key-escrow-failed:http-503");
        assertThat(server.recoveryEscrows).isEmpty();

        server.recoveryFailure = null;
        assertThat(checkIn()).as(err()).isZero();
        assertThat(server.recoveryEscrows).hasSize(1);
        assertThat(server.recoveryKeys).hasSize(2);
        // The warning went out with the check-in; the follow-up report clears it.
        assertThat(lastCheckIn().warnings()).isEmpty();
        assertEverySecretClosed();
    }

    @Test
    void aScanFailureIsAWarningAndDoesNotFailTheRotation() {
        platform.recoveryKeys.failure = new PlatformException("bitlocker-malformed-key", "volume C: key has a bad block");

        assertThat(checkIn()).as(err()).isZero();

        assertThat(out()).contains("rotated: first password set: the server held none", "warning: scan recovery keys: bitlocker-malformed-key");
        assertThat(server.committedPassword()).isEqualTo(platform.accounts.password);
        assertThat(lastCheckIn().warnings()).containsExactly("recovery-key-scan-failed:bitlocker-malformed-key");

        // Still failing: the warning goes with the regular check-in, no second report is needed.
        int checkIns = server.checkIns.size();
        assertThat(checkIn()).isZero();
        assertThat(server.checkIns).hasSize(checkIns + 1);
        assertThat(lastCheckIn().warnings()).containsExactly("recovery-key-scan-failed:bitlocker-malformed-key");

        platform.recoveryKeys.failure = null;
        assertThat(checkIn()).isZero();
        assertThat(server.recoveryEscrows).hasSize(1);
        assertThat(lastCheckIn().warnings()).isEmpty();
    }

    @Test
    void recoveryKeysAreEscrowedEvenWhenTheAccountCannotBeManaged() {
        server.policy = new AgentPolicy("admin", 20, "full", 0, false, 30, 3600, AccountOptions.NONE);

        assertThat(checkIn()).isEqualTo(AgentMain.FAILED);

        assertThat(err()).contains("account-missing");
        assertThat(server.recoveryEscrows).hasSize(1);
        assertEverySecretClosed();
    }

    @Test
    void platformWarningsRaisedDuringTheRotationReachTheServerInTheSameCheckIn() {
        platform.accounts.warnings.add("account-disabled");
        platform.accounts.warningsAfterSet = List.of("current-password-unsaved");

        assertThat(checkIn()).as(err()).isZero();

        assertThat(server.checkIns.get(0).warnings()).containsExactly("account-disabled");
        assertThat(lastCheckIn().warnings()).containsExactly("account-disabled", "current-password-unsaved");
        assertThat(lastCheckIn().account()).isEqualTo("root");
    }

    @Test
    void stateFilesHoldIdentifiersButNeverARecoveryKey() throws Exception {
        assertThat(checkIn()).isZero();
        platform.recoveryKeys.keys.set(1, DATA_NEW);
        server.recoveryFailure = new ServerException(0, ServerException.UNREACHABLE, "connection refused");
        assertThat(checkIn()).isZero();

        for (Key k : List.of(OS, DATA, DATA_NEW)) {
            assertThat(SecretScan.filesContaining(tmp, k.recoveryPassword())).as(k.volumeLabel()).isEmpty();
        }
        String agentJson = Files.readString(state.resolve("agent.json"));
        assertThat(agentJson).contains(OS.protectorId(), DATA.protectorId()).doesNotContain(DATA_NEW.protectorId());
    }
}
