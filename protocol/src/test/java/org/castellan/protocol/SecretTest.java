package org.castellan.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SecretTest {
    @Test
    void toStringNeverRevealsTheValue() {
        Secret secret = Secret.of("hunter2");
        assertThat(secret.toString()).isEqualTo("***");
        assertThat(String.valueOf(secret)).doesNotContain("hunter2");
        assertThat(new IllegalStateException("failed with " + secret).getMessage()).doesNotContain("hunter2");
    }

    @Test
    void closeWipesTheCharactersAndForbidsFurtherUse() {
        char[] chars = "pa55word".toCharArray();
        Secret secret = Secret.adopt(chars);
        secret.close();
        assertThat(chars).containsOnly('\0');
        assertThat(secret.isCleared()).isTrue();
        assertThatThrownBy(secret::reveal).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void utf8RoundTripsNonAsciiPasswords() {
        Secret secret = Secret.of("pässwörd-€");
        byte[] utf8 = secret.utf8();
        assertThat(new String(utf8, StandardCharsets.UTF_8)).isEqualTo("pässwörd-€");
        assertThat(Secret.fromUtf8(utf8).sameAs(secret)).isTrue();
        assertThat(Secret.of("other").sameAs(secret)).isFalse();
    }
}
