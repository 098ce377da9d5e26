package org.castellan.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ApiErrorTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theServersErrorBodyIsReadEvenWithFieldsThisVersionDoesNotKnow() {
        assertThat(ApiError.read(utf8("{\"error\":\"rate-limited\",\"message\":\"slow down\",\"retryIn\":3}")))
                .contains(new ApiError("rate-limited", "slow down"));
    }

    @Test
    void anythingElseIsNoErrorBody() {
        assertThat(ApiError.read(utf8("<html>bad gateway</html>"))).isEmpty();
        assertThat(ApiError.read(utf8("null"))).isEmpty();
        assertThat(ApiError.read(utf8("{\"message\":\"no code\"}"))).isEmpty();
        assertThat(ApiError.read(utf8("{\"error\":42}"))).isEmpty();
        assertThat(ApiError.read(new byte[0])).isEmpty();
    }
}
