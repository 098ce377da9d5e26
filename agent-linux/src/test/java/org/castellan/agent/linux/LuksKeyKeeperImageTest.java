package org.castellan.agent.linux;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.castellan.agent.luks.LuksJournal;
import org.castellan.agent.luks.LuksKeyKeeper;
import org.castellan.agent.password.PasswordGenerator;
import org.castellan.agent.spi.LuksToken;
import org.castellan.agent.state.StateDir;
import org.castellan.protocol.Json;
import org.castellan.protocol.messages.LuksPolicy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LuksKeyKeeper} with the real cryptsetup ({@link LinuxLuksVolumes}) on a LUKS2 image file,
 * against a fake of the server's LUKS endpoints. The kills between steps, the real server and the
 * argv watch are in the end-to-end test (packaging, LuksEndToEndIT).
 */
@EnabledOnOs(OS.LINUX)
class LuksKeyKeeperImageTest {
    private static final String ORIGINAL = "the owner's own passphrase";

    @TempDir Path tmp;
    LuksImage image;
    LuksTestServer server;
    StateDir state;

    @BeforeEach
    void image() throws Exception {
        LuksImage.requireCryptsetup();
        image = LuksImage.create(tmp, ORIGINAL);
        server = new LuksTestServer("device-1");
        state = new StateDir(Files.createDirectory(tmp.resolve("state")));
    }

    private LuksKeyKeeper.Outcome run(LuksPolicy policy, List<String> rotate) {
        LinuxLuksVolumes volumes = new LinuxLuksVolumes(Map.of(LinuxLuksVolumes.DEVICES_ENV, image.image.toString(),
                LinuxLuksVolumes.FAST_KDF_ENV, "true"));
        return new LuksKeyKeeper(volumes, server, new LuksJournal(state), new PasswordGenerator(new SecureRandom()),
                "device-1", Clock.systemUTC()).withVaultKey(server.vault.publicKey()).run(policy, rotate);
    }

    private LuksPolicy enabled() {
        return new LuksPolicy(true, image.unlockKey.toString(), 180);
    }

    private List<LuksToken> castellanTokens() throws Exception {
        return LuksDumpParser.header(image.dump()).castellanTokens();
    }

    @Test
    void theFirstRunAddsACastellanSlotWhoseEscrowedPassphraseOpensTheImage() throws Exception {
        LuksKeyKeeper.Outcome outcome = run(enabled(), List.of());

        assertThat(outcome.warnings()).isEmpty();
        assertThat(outcome.changed()).hasSize(1);
        assertThat(server.calls).as("escrowed before the slot, committed after").containsExactly("escrow", "commit");
        List<LuksTestServer.Held> committed = server.inState("committed");
        assertThat(committed).hasSize(1);
        List<LuksToken> tokens = castellanTokens();
        assertThat(tokens).singleElement().satisfies(t -> {
            assertThat(t.keyslots()).containsExactly(1);
            assertThat(server.keys).containsKey(t.protectorId());
        });
        assertThat(image.opens(committed.get(0).passphrase(), 1)).isTrue();
        assertThat(image.opens(committed.get(0).passphrase() + "x", 1)).as("the check can fail").isFalse();
        assertThat(image.opens(ORIGINAL, 0)).isTrue();
        assertThat(state.exists(LuksJournal.FILE)).isFalse();

        // Nothing is due at the next run.
        assertThat(run(enabled(), List.of()).changed()).isEmpty();
        assertThat(server.calls).hasSize(2);
    }

    @Test
    void rotationAddsTheNewSlotThenRemovesTheOldCastellanSlotAndLeavesEveryOtherSlotUntouched() throws Exception {
        // Someone else's key in slot 1 with a foreign token, before Castellan ever ran.
        LuksImage.Run other = LuksImage.run(List.of(LuksImage.CRYPTSETUP, "luksAddKey", "--batch-mode", "--pbkdf", "pbkdf2",
                "--pbkdf-force-iterations", "1000", "--key-slot", "1", "--key-file", image.unlockKey.toString(),
                image.image.toString(), "-"), "a colleague's passphrase");
        assertThat(other.exit()).as(other.output()).isZero();
        assertThat(LuksImage.run(List.of(LuksImage.CRYPTSETUP, "token", "import", image.image.toString()),
                "{\"type\":\"systemd-recovery\",\"keyslots\":[\"1\"]}").exit()).isZero();
        run(enabled(), List.of());
        LuksToken first = castellanTokens().get(0);
        String firstKey = server.keys.get(first.protectorId()).passphrase();
        JsonNode before = Json.mapper().readTree(image.dump());

        LuksKeyKeeper.Outcome outcome = run(enabled(), List.of(first.protectorId()));

        assertThat(outcome.warnings()).isEmpty();
        LuksToken second = castellanTokens().get(0);
        assertThat(castellanTokens()).hasSize(1);
        assertThat(second.protectorId()).isNotEqualTo(first.protectorId());
        assertThat(second.keyslots()).containsExactly(3);
        assertThat(server.keys.get(first.protectorId()).state()).isEqualTo("retired");
        assertThat(server.keys.get(second.protectorId()).state()).isEqualTo("committed");
        String secondKey = server.keys.get(second.protectorId()).passphrase();
        assertThat(image.opens(secondKey, 3)).isTrue();
        assertThat(image.opens(firstKey, -1)).as("the read passphrase no longer opens anything").isFalse();
        JsonNode after = Json.mapper().readTree(image.dump());
        assertThat(after.get("keyslots").get("0")).as("the owner's slot").isEqualTo(before.get("keyslots").get("0"));
        assertThat(after.get("keyslots").get("1")).as("the colleague's slot").isEqualTo(before.get("keyslots").get("1"));
        assertThat(after.get("keyslots").has("2")).as("the old Castellan slot is gone").isFalse();
        assertThat(image.opens(ORIGINAL, 0)).isTrue();
        assertThat(image.opens("a colleague's passphrase", 1)).isTrue();
        assertThat(LuksDumpParser.header(image.dump()).tokensOf(1)).extracting(LuksToken::type)
                .containsExactly("systemd-recovery");
    }

    @Test
    void withoutAnUnlockKeyFileTheAgentReportsItAndChangesNothing() throws Exception {
        String before = image.dump();

        LuksKeyKeeper.Outcome none = run(new LuksPolicy(true, "", 180), List.of());
        LuksKeyKeeper.Outcome missing = run(new LuksPolicy(true, tmp.resolve("no-such.key").toString(), 180), List.of());
        Files.setPosixFilePermissions(image.unlockKey, PosixFilePermissions.fromString("rw-r--r--"));
        LuksKeyKeeper.Outcome readable = run(enabled(), List.of());

        assertThat(none.warnings()).containsExactly(LuksKeyKeeper.NEEDS_UNLOCK_KEY);
        assertThat(missing.warnings()).containsExactly(LuksKeyKeeper.NEEDS_UNLOCK_KEY);
        assertThat(readable.warnings()).containsExactly(LuksKeyKeeper.NEEDS_UNLOCK_KEY);
        assertThat(readable.notes().toString()).contains("readable by root only").doesNotContain(ORIGINAL);
        assertThat(image.dump()).isEqualTo(before);
        assertThat(server.calls).isEmpty();
    }

    @Test
    void aPolicyWithLuksOffTouchesNoVolume() throws Exception {
        String before = image.dump();
        assertThat(run(new LuksPolicy(false, image.unlockKey.toString(), 180), List.of()).changed()).isEmpty();
        assertThat(image.dump()).isEqualTo(before);
        assertThat(server.calls).isEmpty();
    }

    @Test
    void aWrongUnlockKeyIsReportedAndThePendingKeyIsRetired() throws Exception {
        Files.writeString(image.unlockKey, "not the passphrase");
        String before = image.dump();

        LuksKeyKeeper.Outcome outcome = run(enabled(), List.of());

        assertThat(outcome.warnings()).containsExactly(LuksKeyKeeper.FAILED + ":luks-unlock-key-rejected");
        assertThat(image.dump()).isEqualTo(before);
        assertThat(server.calls).containsExactly("escrow", "retire");
        assertThat(state.exists(LuksJournal.FILE)).isFalse();
    }

    @Test
    void aCommitThatFailsRemovesTheNewSlotAndRetiresItsKey() throws Exception {
        server.failCommit = true;

        LuksKeyKeeper.Outcome outcome = run(enabled(), List.of());

        assertThat(outcome.warnings()).containsExactly(LuksKeyKeeper.FAILED + ":escrow");
        assertThat(server.calls).containsExactly("escrow", "commit", "retire");
        assertThat(castellanTokens()).isEmpty();
        assertThat(LuksDumpParser.header(image.dump()).activeSlots()).containsExactly(0);
        assertThat(state.exists(LuksJournal.FILE)).isFalse();
        // The next run starts afresh and succeeds.
        assertThat(run(enabled(), List.of()).changed()).hasSize(1);
        assertThat(server.inState("committed")).hasSize(1);
    }
}
