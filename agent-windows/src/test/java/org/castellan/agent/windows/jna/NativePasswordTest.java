package org.castellan.agent.windows.jna;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.castellan.protocol.Secret;
import org.junit.jupiter.api.Test;

/** Real native memory (JNA's malloc works on Linux too). */
class NativePasswordTest {
    @Test
    void holdsTheNulTerminatedUtf16LeEncoding() {
        try (NativePassword password = NativePassword.copyOf(Secret.of("Pä€"))) {
            byte[] bytes = password.pointer().getByteArray(0, (int) password.byteSize());

            byte[] expected = "Pä€\0".getBytes(StandardCharsets.UTF_16LE);
            assertThat(bytes).isEqualTo(expected);
        }
    }

    @Test
    void closeZeroesTheBufferAndForbidsFurtherUse() {
        NativePassword password = NativePassword.copyOf(Secret.of("correct horse battery staple"));

        password.close();

        assertThat(password.wasWipedOnClose()).isTrue();
        assertThatThrownBy(password::pointer).isInstanceOf(IllegalStateException.class);
        password.close(); // idempotent
    }

    @Test
    void copyingLeavesTheSecretUsable() {
        Secret secret = Secret.of("still-here");
        NativePassword.copyOf(secret).close();

        assertThat(secret.reveal()).isEqualTo("still-here");
    }
}
