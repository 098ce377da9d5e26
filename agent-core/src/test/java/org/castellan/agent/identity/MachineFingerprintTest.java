package org.castellan.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.castellan.agent.identity.MachineFingerprint.Verdict;
import org.castellan.agent.spi.MachineIdentity;
import org.junit.jupiter.api.Test;

class MachineFingerprintTest {
    private static final String ID = "3d1219c7c4c5404aaa1f6d2a48adfda4";
    private static final String UUID = "4c4c4544-0032-3510-8047-b4c04f4e4b32";

    private static Map<String, String> digest(Map<String, String> sources) {
        return MachineFingerprint.digest(new MachineIdentity(sources));
    }

    @Test
    void digestsHideTheRawValues() {
        Map<String, String> digests = digest(Map.of("machine-id", ID));

        assertThat(digests).containsOnlyKeys("machine-id");
        assertThat(digests.get("machine-id")).hasSize(64).doesNotContain(ID);
    }

    @Test
    void sameSourcesAreTheSameMachine() {
        assertThat(MachineFingerprint.compare(digest(Map.of("machine-id", ID, "product_uuid", UUID)),
                digest(Map.of("machine-id", ID, "product_uuid", UUID))).verdict()).isEqualTo(Verdict.SAME);
    }

    @Test
    void oneDifferingSourceIsAnotherMachineAndIsNamed() {
        MachineFingerprint.Comparison comparison = MachineFingerprint.compare(
                digest(Map.of("machine-id", ID, "product_uuid", UUID)),
                digest(Map.of("machine-id", "ffffffffffffffffffffffffffffff00", "product_uuid", UUID)));

        assertThat(comparison.verdict()).isEqualTo(Verdict.OTHER_MACHINE);
        assertThat(comparison.differing()).containsExactly("machine-id");
        assertThat(comparison.describe()).contains("machine-id differ");
    }

    @Test
    void aSourceReadableOnlyOnOneSideProvesNothing() {
        // DMI unreadable now (a container, no root): the machine-id still matches.
        assertThat(MachineFingerprint.compare(digest(Map.of("machine-id", ID, "product_uuid", UUID)),
                digest(Map.of("machine-id", ID))).verdict()).isEqualTo(Verdict.SAME);
        assertThat(MachineFingerprint.compare(digest(Map.of("product_uuid", UUID)),
                digest(Map.of("machine-id", ID))).verdict()).isEqualTo(Verdict.UNKNOWN);
    }

    @Test
    void firmwarePlaceholderUuidsAreNoIdentity() {
        assertThat(IdentityValues.uuid("FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF")).isEmpty();
        assertThat(IdentityValues.uuid("00000000-0000-0000-0000-000000000000")).isEmpty();
        assertThat(IdentityValues.uuid("{4C4C4544-0032-3510-8047-B4C04F4E4B32}\n")).contains(UUID);
        assertThat(IdentityValues.uuid("not a uuid")).isEmpty();
    }
}
