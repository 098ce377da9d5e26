package org.castellan.agent.windows.bitlocker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WmiObjectPathsTest {
    @Test
    void deviceIdBackslashesAreEscapedInTheObjectPath() {
        assertThat(WmiObjectPaths.encryptableVolume("\\\\?\\Volume{1b3f5c2e-0000-0000-0000-100000000000}\\"))
                .isEqualTo("Win32_EncryptableVolume.DeviceID=\"\\\\\\\\?\\\\Volume{1b3f5c2e-0000-0000-0000-100000000000}\\\\\"");
    }

    @Test
    void quotesInAKeyValueCannotEndTheKey() {
        assertThat(WmiObjectPaths.encryptableVolume("a\"b")).isEqualTo("Win32_EncryptableVolume.DeviceID=\"a\\\"b\"");
    }
}
