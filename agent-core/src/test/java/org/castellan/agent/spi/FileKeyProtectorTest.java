package org.castellan.agent.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FileKeyProtectorTest {
    private final FileKeyProtector protector = new FileKeyProtector();

    @Test
    void sealedDataUnsealsToTheSameBytes() throws Exception {
        byte[] key = {0, 1, 2, (byte) 0xff, 42};
        assertThat(protector.unseal(protector.seal(key))).isEqualTo(key);
        assertThat(protector.name()).isEqualTo("file-0600");
    }

    @Test
    void dataWrittenByAnotherProtectorIsRefusedInsteadOfTakenForAKey() {
        byte[] foreign = "DPAPI-blob-from-windows".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> protector.unseal(foreign)).isInstanceOf(PlatformException.class)
                .satisfies(e -> assertThat(((PlatformException) e).code()).isEqualTo("unseal-failed"));
        assertThatThrownBy(() -> protector.unseal(new byte[0])).isInstanceOf(PlatformException.class);
    }
}
