package org.castellan.server.users;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.castellan.server.testing.NoDatabase;
import org.junit.jupiter.api.Test;

/** RFC 6238 appendix B (SHA-1 vectors) and the acceptance window around now. */
@NoDatabase("no database, no server: the same on either backend")
class TotpTest {
    private static final byte[] SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @Test
    void codesMatchTheRfc6238TestVectors() {
        assertThat(Totp.code(SEED, Totp.step(Instant.ofEpochSecond(59)), 8)).isEqualTo("94287082");
        assertThat(Totp.code(SEED, Totp.step(Instant.ofEpochSecond(1111111109)), 8)).isEqualTo("07081804");
        assertThat(Totp.code(SEED, Totp.step(Instant.ofEpochSecond(1234567890)), 8)).isEqualTo("89005924");
        assertThat(Totp.code(SEED, Totp.step(Instant.ofEpochSecond(20000000000L)), 8)).isEqualTo("65353130");
        assertThat(Totp.code(SEED, Totp.step(Instant.ofEpochSecond(59)), 6)).isEqualTo("287082");
    }

    @Test
    void aCodeIsAcceptedOneStepEitherSideAndNoFurther() {
        Instant now = Instant.ofEpochSecond(1_700_000_015L);
        long step = Totp.step(now);
        assertThat(Totp.matchingStep(SEED, Totp.code(SEED, step - 1, 6), now)).hasValue(step - 1);
        assertThat(Totp.matchingStep(SEED, Totp.code(SEED, step + 1, 6), now)).hasValue(step + 1);
        assertThat(Totp.matchingStep(SEED, Totp.code(SEED, step - 2, 6), now)).isEmpty();
        String spaced = Totp.code(SEED, step, 6);
        assertThat(Totp.matchingStep(SEED, spaced.substring(0, 3) + " " + spaced.substring(3), now)).hasValue(step);
        assertThat(Totp.matchingStep(SEED, "12345", now)).isEmpty();
        assertThat(Totp.matchingStep(SEED, "abcdef", now)).isEmpty();
        assertThat(Totp.matchingStep(SEED, null, now)).isEmpty();
    }

    @Test
    void theUriCarriesTheBase32SecretAndTheIssuer() {
        assertThat(Totp.uri("Castellan", "ann smith", SEED)).isEqualTo("otpauth://totp/Castellan:ann%20smith"
                + "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Castellan&algorithm=SHA1&digits=6&period=30");
    }
}
