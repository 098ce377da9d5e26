package org.castellan.agent.windows.bitlocker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;

import java.util.List;
import org.castellan.agent.spi.PlatformException;
import org.castellan.agent.spi.RecoveryKey;
import org.castellan.agent.spi.RecoveryKeySource.RecoveryKeyScan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Runs the real COM/WMI path on a Windows CI machine (needs an elevated runner). */
@EnabledOnOs(OS.WINDOWS)
class JnaBitLockerWmiSessionWindowsTest {
    @Test
    void realScanReturnsValidKeysOrNothing() throws Exception {
        RecoveryKeyScan scan;
        try {
            scan = new BitLockerRecoveryKeys(new WmiBitLockerReader(JnaBitLockerWmiSession::open)).scan();
        } catch (PlatformException e) {
            if (e.code().equals("access-denied")) {
                abort("the BitLocker WMI namespace needs an elevated test runner");
            }
            throw e;
        }
        for (RecoveryKey key : scan.keys()) {
            assertThat(key.volumeId()).startsWith("\\\\?\\Volume{");
            assertThat(key.protectorId()).matches("\\{[0-9A-F-]{36}\\}");
            assertThat(NumericalPasswords.isValid(key.recoveryPassword().chars())).isTrue();
            key.recoveryPassword().close();
        }
        assertThat(scan.unprotectedVolumes()).isNotNull();
    }

    @Test
    void volumesQueryListsTheSystemDrive() throws Exception {
        try (BitLockerWmiSession session = JnaBitLockerWmiSession.open().orElse(null)) {
            if (session == null) {
                abort("no BitLocker WMI namespace on this edition");
            }
            List<?> volumes = session.encryptableVolumes();
            assertThat(volumes).isNotEmpty();
        } catch (PlatformException e) {
            if (e.code().equals("access-denied")) {
                abort("the BitLocker WMI namespace needs an elevated test runner");
            }
            throw e;
        }
    }
}
