package org.castellan.agent.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.stream.Stream;
import org.castellan.agent.fake.FakePlatform;
import org.castellan.protocol.signing.DeviceKeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class StateDirTest {
    @TempDir
    Path tmp;

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void directoryIsOwnerOnlyAndFilesAre0600() throws Exception {
        StateDir dir = new StateDir(tmp.resolve("a/b/state"));
        dir.create();
        dir.writeAtomically("agent.json", "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.path()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("agent.json"))))
                .isEqualTo("rw-------");
    }

    @Test
    void replacingAFileLeavesNoTemporaryFilesBehind() throws Exception {
        StateDir dir = new StateDir(tmp.resolve("state"));
        dir.create();
        for (int i = 0; i < 5; i++) {
            dir.writeAtomically("agent.json", ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8));
        }

        assertThat(new String(dir.read("agent.json").orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":4}");
        try (Stream<Path> files = Files.list(dir.path())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("agent.json");
        }
    }

    @Test
    void deleteOfAMissingFileIsFine() throws Exception {
        StateDir dir = new StateDir(tmp);
        dir.delete("nothing-here");
        assertThat(dir.read("nothing-here")).isEmpty();
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void deviceKeyRoundTripsThroughAnOwnerOnlyFile() throws Exception {
        StateDir dir = new StateDir(tmp.resolve("state"));
        dir.create();
        FakePlatform platform = new FakePlatform(dir.path());
        DeviceKeyPair key = DeviceKeyPair.generate(new SecureRandom());

        new DeviceKeyStore(dir, platform.keyProtector()).save(key);
        DeviceKeyPair loaded = new DeviceKeyStore(dir, platform.keyProtector()).load();

        assertThat(loaded.publicKeyBase64()).isEqualTo(key.publicKeyBase64());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(DeviceKeyStore.FILE))))
                .isEqualTo("rw-------");
    }

    @Test
    void stateFileRoundTrips() throws Exception {
        StateDir dir = new StateDir(tmp);
        StateStore store = new StateStore(dir);
        assertThat(store.isRegistered()).isFalse();
        AgentState state = AgentState.registered("https://s:1", null, "d-1", null, null, Instant.parse("2026-01-01T00:00:00Z"));

        store.save(state.withRotation("root", Instant.parse("2026-01-02T00:00:00Z")));

        AgentState loaded = store.require();
        assertThat(loaded.deviceId()).isEqualTo("d-1");
        assertThat(loaded.lastRotationAccount()).isEqualTo("root");
        assertThat(loaded.lastRotation()).isEqualTo(Instant.parse("2026-01-02T00:00:00Z"));
    }

    @Test
    void stateFileWrittenBeforeRecoveryKeyEscrowStillLoads() throws Exception {
        StateDir dir = new StateDir(tmp);
        dir.writeAtomically(StateStore.FILE, ("{\"version\":1,\"server\":\"https://s:1\",\"serverFingerprint\":null,"
                + "\"deviceId\":\"d-1\",\"vaultKey\":null,\"policy\":null,\"registeredAt\":\"2026-01-01T00:00:00Z\","
                + "\"lastCheckIn\":null,\"lastRotation\":null,\"lastRotationAccount\":null,\"lastError\":null,"
                + "\"lastErrorAt\":null}").getBytes(StandardCharsets.UTF_8));

        AgentState loaded = new StateStore(dir).require();

        assertThat(loaded.recoveryKeys()).isNull();
        assertThat(loaded.recoveryWarnings()).isEmpty();
    }

    @Test
    void recoveryKeySetComparesRegardlessOfScanOrderAndRoundTrips() throws Exception {
        RecoveryKeySet a = new RecoveryKeySet(java.util.List.of(new RecoveryKeySet.KeyRef("v2", "p2"),
                new RecoveryKeySet.KeyRef("v1", "p1")), java.util.List.of("G:", "F:"));
        RecoveryKeySet b = new RecoveryKeySet(java.util.List.of(new RecoveryKeySet.KeyRef("v1", "p1"),
                new RecoveryKeySet.KeyRef("v2", "p2")), java.util.List.of("F:", "G:"));
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(new RecoveryKeySet(b.keys(), java.util.List.of("F:")));
        // A new protector on a known volume, or a known protector on another volume, is a change.
        assertThat(a).isNotEqualTo(new RecoveryKeySet(java.util.List.of(new RecoveryKeySet.KeyRef("v1", "p1"),
                new RecoveryKeySet.KeyRef("v2", "p3")), b.unprotectedVolumes()));
        assertThat(a).isNotEqualTo(new RecoveryKeySet(java.util.List.of(new RecoveryKeySet.KeyRef("v1", "p1"),
                new RecoveryKeySet.KeyRef("v3", "p2")), b.unprotectedVolumes()));
        assertThat(new RecoveryKeySet.KeyRef("v1", "p1")).isEqualTo(new RecoveryKeySet.KeyRef("v1", "p1"))
                .isNotEqualTo(new RecoveryKeySet.KeyRef("v1", null)).isNotEqualTo("v1");

        StateStore store = new StateStore(new StateDir(tmp));
        store.save(AgentState.registered("https://s:1", null, "d-1", null, null, Instant.EPOCH)
                .withRecoveryKeys(a, java.util.List.of("recovery-key-scan-failed:x")));
        assertThat(store.require().recoveryKeys()).isEqualTo(b);
        assertThat(store.require().recoveryWarnings()).containsExactly("recovery-key-scan-failed:x");
    }

    @Test
    void journalRoundTripsWithLowerCaseSteps() throws Exception {
        StateDir dir = new StateDir(tmp);
        RotationJournal journal = new RotationJournal(dir);
        journal.write(new JournalEntry(1, "r-1", "root", "0", JournalEntry.Step.SETTING, "m", Instant.EPOCH));

        assertThat(new String(dir.read(RotationJournal.FILE).orElseThrow(), StandardCharsets.UTF_8))
                .contains("\"step\":\"setting\"");
        assertThat(journal.read()).get().extracting(JournalEntry::marker).isEqualTo("m");
        journal.clear();
        assertThat(journal.read()).isEmpty();
    }
}
