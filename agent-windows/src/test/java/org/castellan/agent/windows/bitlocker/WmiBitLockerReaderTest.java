package org.castellan.agent.windows.bitlocker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.spi.RecoveryKey;
import org.castellan.agent.spi.RecoveryKeySource.RecoveryKeyScan;
import org.junit.jupiter.api.Test;

class WmiBitLockerReaderTest {
    private static final String C = "\\\\?\\Volume{1b3f5c2e-0000-0000-0000-100000000000}\\";

    @Test
    void recordedLaptopAnswersBecomeVolumesWithNumericalPasswordProtectors() throws Exception {
        RecordedWmiSession session = new RecordedWmiSession("laptop-six-volumes.json");

        List<EncryptableVolume> volumes = new WmiBitLockerReader(session.connector()).volumes();

        assertThat(volumes).hasSize(6);
        EncryptableVolume c = volumes.get(0);
        assertThat(c.deviceId()).isEqualTo(C);
        assertThat(c.driveLetter()).isEqualTo("C:");
        assertThat(c.encrypted()).isTrue();
        assertThat(c.protectors()).hasSize(2).allSatisfy(p -> {
            assertThat(p.protectorId()).matches("\\{[0-9A-F-]{36}\\}"); // lower case answer normalized
            assertThat(NumericalPasswords.isValid(p.numericalPassword().chars())).isTrue();
        });
        assertThat(volumes.get(4).driveLetter()).isNull();
        assertThat(volumes.get(5).locked()).isTrue();
        assertThat(session.calls).contains("GetKeyProtectors 3 " + C);
        assertThat(session.closed).isTrue();
    }

    @Test
    void collectorListsEveryKeyAndTheEncryptedVolumesWithoutOne() throws Exception {
        RecordedWmiSession session = new RecordedWmiSession("laptop-six-volumes.json");

        RecoveryKeyScan scan = new BitLockerRecoveryKeys(new WmiBitLockerReader(session.connector())).scan();

        assertThat(scan.keys()).extracting(RecoveryKey::volumeLabel).containsExactly("C:", "C:", "D:");
        assertThat(scan.keys()).extracting(RecoveryKey::volumeId).startsWith(C);
        // E: is encrypted (TPM only) but has no recovery password; G: is locked; F: and the
        // recovery partition are not encrypted and need none.
        assertThat(scan.unprotectedVolumes()).containsExactly("E:", "G: (locked)");
    }

    @Test
    void corruptRecoveryPasswordIsRejectedWithoutRevealingIt() {
        RecordedWmiSession session = new RecordedWmiSession("corrupt-checksum.json");
        @SuppressWarnings("unchecked")
        String corrupt = ((Map<String, Map<String, Object>>) readRaw("corrupt-checksum.json").get("GetKeyProtectorNumericalPassword"))
                .values().iterator().next().get("NumericPassword").toString();

        assertThatThrownBy(() -> new WmiBitLockerReader(session.connector()).volumes())
                .isInstanceOf(PlatformException.class)
                .hasMessageContaining("volume C:")
                .hasMessageNotContaining(corrupt)
                .hasMessageNotContaining(corrupt.substring(0, 6))
                .extracting(e -> ((PlatformException) e).code()).isEqualTo("bitlocker-malformed-key");
        assertThat(session.closed).isTrue();
    }

    @Test
    void failedMethodReportsTheHresultInHex() {
        RecordedWmiSession session = new RecordedWmiSession("access-denied.json");

        assertThatThrownBy(() -> new WmiBitLockerReader(session.connector()).volumes())
                .hasMessageContaining("0x80070005")
                .extracting(e -> ((PlatformException) e).code()).isEqualTo("bitlocker-read-failed");
    }

    @Test
    void noBitLockerNamespaceMeansNoVolumes() throws Exception {
        assertThat(new WmiBitLockerReader(Optional::empty).volumes()).isEmpty();
    }

    @Test
    void parserRejectsProtectorIdsThatAreNotGuids() {
        assertThatThrownBy(() -> BitLockerWmiParser.protectorIds(
                Map.of("ReturnValue", 0, "VolumeKeyProtectorID", new Object[] {"not-a-guid"}), "C:"))
                .hasMessageContaining("not a key protector ID");
    }

    @Test
    void parserAcceptsTheSafeArrayShapeOfTheRealComCall() throws Exception {
        Object[] fromSafeArray = {"{6F8A2C11-0E5B-4C6A-9B6D-3A1F2E4D5C6B}"};

        assertThat(BitLockerWmiParser.protectorIds(Map.of("ReturnValue", 0, "VolumeKeyProtectorID", fromSafeArray), "C:"))
                .containsExactly("{6F8A2C11-0E5B-4C6A-9B6D-3A1F2E4D5C6B}");
    }

    @Test
    void volumeWithoutDeviceIdIsAnError() {
        assertThatThrownBy(() -> BitLockerWmiParser.volume(Map.of("DriveLetter", "C:")))
                .isInstanceOf(PlatformException.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readRaw(String resource) {
        try (var in = WmiBitLockerReaderTest.class.getResourceAsStream("/bitlocker/" + resource)) {
            return new com.fasterxml.jackson.databind.ObjectMapper().readValue(in, Map.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
