package org.castellan.agent.macos.filevault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.castellan.agent.macos.FakeMacTools;
import org.castellan.agent.spi.FileKeyProtector;
import org.castellan.agent.macos.TestResources;
import org.castellan.agent.macos.account.CurrentPasswordStore;
import org.castellan.agent.macos.parse.PlistReader;
import org.castellan.agent.macos.process.ProcessCommandRunner;
import org.castellan.agent.macos.store.SealedSecretFiles;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.spi.RecoveryKey;
import org.castellan.agent.spi.RecoveryKeySource.RecoveryKeyScan;
import org.castellan.protocol.Secret;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileVaultRecoveryKeysProcessTest {
    private static final String ACCOUNT = "castellan";
    private static final String PASSWORD = "Known <&> Pass-77";
    private static final String KEY = "Q7RT-4KXW-ZP9M-2HND-V6LC-8JFB";
    private static final List<String> CHANGE = List.of("changerecovery", "-personal", "-inputplist", "-outputplist");

    @TempDir
    Path temp;

    private FakeMacTools fake;
    private SealedSecretFiles files;
    private CurrentPasswordStore passwords;
    private Optional<String> managed = Optional.of(ACCOUNT);

    @BeforeEach
    void setUp() throws Exception {
        fake = new FakeMacTools(temp.resolve("fake"));
        Path state = Files.createDirectories(temp.resolve("state"));
        files = new SealedSecretFiles(() -> state, new FileKeyProtector());
        passwords = new CurrentPasswordStore(files);
    }

    private FileVaultRecoveryKeys source() {
        return new FileVaultRecoveryKeys(new ProcessCommandRunner(), fake.tools(), files, passwords, () -> managed);
    }

    private void fileVault(String state) {
        fake.respond("fdesetup", List.of("status"), TestResources.text("outputs/fdesetup/" + state + ".txt"), "", 0);
    }

    @Test
    void fileVaultOffHasNoKeyAndNothingUnprotected() throws Exception {
        fileVault("off");

        RecoveryKeyScan scan = source().scan();

        assertThat(scan.keys()).isEmpty();
        assertThat(scan.unprotectedVolumes()).isEmpty();
        assertThat(fake.invocations()).containsExactly(List.of("fdesetup", "status"));
    }

    @Test
    void encryptedVolumeIsUnprotectedWhileTheAccountPasswordIsUnknown() throws Exception {
        fileVault("on");

        RecoveryKeyScan scan = source().scan();

        assertThat(scan.keys()).isEmpty();
        assertThat(scan.unprotectedVolumes()).containsExactly("/");
        assertThat(fake.invocations()).containsExactly(List.of("fdesetup", "status"));
    }

    @Test
    void newPersonalKeyIsMadeWithCredentialsOnStdinAndKeptForLaterScans() throws Exception {
        fileVault("on");
        passwords.save(ACCOUNT, Secret.of(PASSWORD));
        fake.respond("fdesetup", CHANGE, TestResources.text("outputs/fdesetup/changerecovery-outputplist.txt"), "", 0);
        fake.respond("fdesetup", List.of("validaterecovery", "-inputplist"), "true\n", "", 0);

        RecoveryKeyScan first = source().scan();
        RecoveryKeyScan second = source().scan();

        for (RecoveryKeyScan scan : List.of(first, second)) {
            assertThat(scan.keys()).hasSize(1);
            RecoveryKey key = scan.keys().get(0);
            assertThat(key.recoveryPassword().reveal()).isEqualTo(KEY);
            assertThat(key.volumeId()).isEqualTo("5E6F7A8B-9C0D-4E1F-8A2B-3C4D5E6F7A8B");
            assertThat(key.protectorId()).startsWith("personal-recovery-key-");
        }
        // The same kept key keeps its id, so agent-core does not escrow it again.
        assertThat(second.keys().get(0).protectorId()).isEqualTo(first.keys().get(0).protectorId());
        assertThat(fake.invocations()).containsExactly(
                List.of("fdesetup", "status"),
                List.of("fdesetup", "changerecovery", "-personal", "-inputplist", "-outputplist"),
                List.of("fdesetup", "status"),
                List.of("fdesetup", "validaterecovery", "-inputplist"));
        assertThat(PlistReader.readDict(fake.stdinOf(2))).containsEntry("Username", ACCOUNT).containsEntry("Password", PASSWORD);
        assertThat(PlistReader.readDict(fake.stdinOf(4))).containsEntry("Password", KEY).doesNotContainKey("Username");
        assertThat(fake.argvLog()).doesNotContain(PASSWORD).doesNotContain(KEY);
    }

    @Test
    void keptKeyThatNoLongerValidatesIsReplaced() throws Exception {
        fileVault("on");
        passwords.save(ACCOUNT, Secret.of(PASSWORD));
        files.save(FileVaultRecoveryKeys.KEY_FILE, Secret.of("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF"));
        fake.respond("fdesetup", List.of("validaterecovery", "-inputplist"), "false\n", "", 0);
        fake.respond("fdesetup", CHANGE, TestResources.text("outputs/fdesetup/changerecovery-outputplist.txt"), "", 0);

        RecoveryKeyScan scan = source().scan();

        assertThat(scan.keys()).extracting(k -> k.recoveryPassword().reveal()).containsExactly(KEY);
        // A new key gets a new protector id, so agent-core sees the change and escrows it.
        assertThat(scan.keys().get(0).protectorId()).startsWith("personal-recovery-key-")
                .isNotEqualTo("personal-recovery-key");
        try (Secret kept = files.load(FileVaultRecoveryKeys.KEY_FILE).orElseThrow()) {
            assertThat(kept.reveal()).isEqualTo(KEY);
        }
    }

    @Test
    void failedKeyChangeIsAnErrorAndKeepsNothing() throws Exception {
        fileVault("encrypting");
        passwords.save(ACCOUNT, Secret.of(PASSWORD));
        fake.respond("fdesetup", CHANGE, "", "Error: User authentication failed.\n", 1);

        assertThatThrownBy(() -> source().scan())
                .isInstanceOfSatisfying(PlatformException.class, e -> {
                    assertThat(e.code()).isEqualTo("recovery-key-rotate-failed");
                    assertThat(e.getMessage()).contains("authentication failed").doesNotContain(PASSWORD);
                });
        assertThat(files.exists(FileVaultRecoveryKeys.KEY_FILE)).isFalse();
    }

    @Test
    void outputWithoutAWellFormedKeyIsAnErrorThatQuotesNothing() throws Exception {
        fileVault("on");
        passwords.save(ACCOUNT, Secret.of(PASSWORD));
        fake.respond("fdesetup", CHANGE, "New personal recovery key = 'Q7RT-4KXW-ZP9M-2HND-V6LC-8JFB'\n", "", 0);

        assertThatThrownBy(() -> source().scan())
                .isInstanceOfSatisfying(PlatformException.class, e -> assertThat(e.getMessage()).doesNotContain(KEY));
    }
}
