package org.castellan.agent.windows.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.castellan.agent.spi.PlatformException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class DpapiKeyProtectorTest {
    /** Records what DPAPI was asked for; "seals" by reversing bytes so round trips are checkable. */
    static final class RecordingDpapi implements Dpapi {
        byte[] entropy;
        int flags;
        PlatformException failure;

        @Override
        public byte[] protect(byte[] plaintext, byte[] entropy, int flags) throws PlatformException {
            return record(plaintext, entropy, flags);
        }

        @Override
        public byte[] unprotect(byte[] sealed, byte[] entropy, int flags) throws PlatformException {
            return record(sealed, entropy, flags);
        }

        private byte[] record(byte[] data, byte[] entropy, int flags) throws PlatformException {
            this.entropy = entropy;
            this.flags = flags;
            if (failure != null) {
                throw failure;
            }
            byte[] out = data.clone();
            for (int i = 0; i < out.length / 2; i++) {
                byte t = out[i];
                out[i] = out[out.length - 1 - i];
                out[out.length - 1 - i] = t;
            }
            return out;
        }
    }

    @Test
    void sealsWithMachineScopeNoUiAndTheFixedCastellanEntropy() throws Exception {
        RecordingDpapi dpapi = new RecordingDpapi();
        DpapiKeyProtector protector = new DpapiKeyProtector(dpapi);

        byte[] sealed = protector.seal(new byte[] {1, 2, 3});

        assertThat(protector.name()).isEqualTo("dpapi-machine");
        assertThat(dpapi.flags).isEqualTo(0x4 | 0x1);
        assertThat(new String(dpapi.entropy, StandardCharsets.US_ASCII)).isEqualTo("castellan-device-key-v1");
        assertThat(protector.unseal(sealed)).containsExactly(1, 2, 3);
        assertThat(dpapi.flags).isEqualTo(0x5);
    }

    @Test
    void entropyHandedToDpapiCannotAlterTheProtectorsCopy() throws Exception {
        RecordingDpapi dpapi = new RecordingDpapi();
        DpapiKeyProtector protector = new DpapiKeyProtector(dpapi);
        protector.seal(new byte[] {9});
        Arrays.fill(dpapi.entropy, (byte) 0);

        protector.seal(new byte[] {9});

        assertThat(new String(dpapi.entropy, StandardCharsets.US_ASCII)).isEqualTo("castellan-device-key-v1");
    }

    @Test
    void dpapiFailureIsThrownNotSwallowed() {
        RecordingDpapi dpapi = new RecordingDpapi();
        dpapi.failure = new PlatformException("key-protection-failed", "unseal: Win32 error 13");

        assertThatThrownBy(() -> new DpapiKeyProtector(dpapi).unseal(new byte[] {1}))
                .isSameAs(dpapi.failure);
    }

    @Test
    @EnabledOnOs(OS.WINDOWS)
    void realDpapiRoundTripsAndTheBlobIsNotThePlaintext() throws Exception {
        DpapiKeyProtector protector = new DpapiKeyProtector(new JnaDpapi());
        byte[] key = "ed25519-private-key-bytes-012345".getBytes(StandardCharsets.US_ASCII);

        byte[] sealed = protector.seal(key);

        assertThat(sealed).isNotEqualTo(key).hasSizeGreaterThan(key.length);
        assertThat(protector.unseal(sealed)).isEqualTo(key);
        // Without Castellan's entropy the blob does not open.
        assertThatThrownBy(() -> new JnaDpapi().unprotect(sealed, new byte[0], DpapiKeyProtector.FLAGS))
                .isInstanceOf(PlatformException.class);
    }
}
