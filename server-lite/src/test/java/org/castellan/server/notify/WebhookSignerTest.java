package org.castellan.server.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.castellan.protocol.Secret;
import org.castellan.server.testing.NoDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@NoDatabase("no database, no server: the same on either backend")
class WebhookSignerTest {
    static final Secret SECRET = Secret.of("whsec-known-answer");
    static final byte[] BODY = "{\"type\":\"password.revealed\"}".getBytes(StandardCharsets.UTF_8);
    static final long T = 1763805600L;
    static final Instant AT_T = Instant.ofEpochSecond(T);
    static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

    @Test
    void signatureMatchesAnIndependentHmacSha256OfTimestampDotBody() {
        // Computed with Python: hmac.new(b"whsec-known-answer", b"1763805600." + body, sha256).hexdigest()
        assertThat(WebhookSigner.sign(SECRET, T, BODY))
                .isEqualTo("t=1763805600,v1=4c8af5600c0ac1cc18e83ba653e1e2c55d38256104952d22da209b5ad3aa548a");
    }

    @Test
    void ownSignatureVerifiesWithinTolerance() {
        String header = WebhookSigner.sign(SECRET, T, BODY);
        assertThat(WebhookSigner.verify(SECRET, header, BODY, AT_T, FIVE_MINUTES)).isTrue();
        assertThat(WebhookSigner.verify(SECRET, header, BODY, AT_T.plus(FIVE_MINUTES), FIVE_MINUTES)).isTrue();
        assertThat(WebhookSigner.verify(SECRET, header, BODY, AT_T.minus(FIVE_MINUTES), FIVE_MINUTES)).isTrue();
    }

    @Test
    void staleOrFutureTimestampsAreRejected() {
        String header = WebhookSigner.sign(SECRET, T, BODY);
        assertThat(WebhookSigner.verify(SECRET, header, BODY, AT_T.plus(FIVE_MINUTES).plusSeconds(1), FIVE_MINUTES))
                .isFalse();
        assertThat(WebhookSigner.verify(SECRET, header, BODY, AT_T.minus(FIVE_MINUTES).minusSeconds(1), FIVE_MINUTES))
                .isFalse();
    }

    @Test
    void wrongSecretOrChangedBodyIsRejected() {
        String header = WebhookSigner.sign(SECRET, T, BODY);
        assertThat(WebhookSigner.verify(Secret.of("whsec-known-answeR"), header, BODY, AT_T, FIVE_MINUTES)).isFalse();
        byte[] changed = BODY.clone();
        changed[3] ^= 1;
        assertThat(WebhookSigner.verify(SECRET, header, changed, AT_T, FIVE_MINUTES)).isFalse();
    }

    @Test
    void movingTheTimestampInvalidatesTheMac() {
        String header = WebhookSigner.sign(SECRET, T, BODY).replace("t=1763805600", "t=1763805601");
        assertThat(WebhookSigner.verify(SECRET, header, BODY, AT_T, FIVE_MINUTES)).isFalse();
    }

    @Test
    void anyOfSeveralV1EntriesMayMatchSoSecretsCanRotate() {
        String current = WebhookSigner.sign(SECRET, T, BODY);
        String old = WebhookSigner.sign(Secret.of("old-secret"), T, BODY);
        String both = old + "," + current.substring(current.indexOf("v1="));
        assertThat(WebhookSigner.verify(SECRET, both, BODY, AT_T, FIVE_MINUTES)).isTrue();
        assertThat(WebhookSigner.verify(Secret.of("old-secret"), both, BODY, AT_T, FIVE_MINUTES)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "v1=4c8af5600c0ac1cc18e83ba653e1e2c55d38256104952d22da209b5ad3aa548a",
        "t=1763805600",
        "t=1763805600,v1=4C8AF5600C0AC1CC18E83BA653E1E2C55D38256104952D22DA209B5AD3AA548A",
        "t=1763805600,v1=4c8af5600c0ac1cc18e83ba653e1e2c55d38256104952d22da209b5ad3aa54",
        "t=abc,v1=4c8af5600c0ac1cc18e83ba653e1e2c55d38256104952d22da209b5ad3aa548a",
        "t=1763805600,t=1763805600,v1=4c8af5600c0ac1cc18e83ba653e1e2c55d38256104952d22da209b5ad3aa548a",
        "t=1763805600;v1=4c8af5600c0ac1cc18e83ba653e1e2c55d38256104952d22da209b5ad3aa548a",
        "t=-1763805600,v1=4c8af5600c0ac1cc18e83ba653e1e2c55d38256104952d22da209b5ad3aa548a",
    })
    void malformedHeadersAreNotValid(String header) {
        assertThat(WebhookSigner.verify(SECRET, header, BODY, AT_T, FIVE_MINUTES)).isFalse();
    }

    @Test
    void nullOrHugeHeaderIsNotValid() {
        assertThat(WebhookSigner.verify(SECRET, null, BODY, AT_T, FIVE_MINUTES)).isFalse();
        String huge = WebhookSigner.sign(SECRET, T, BODY) + ",x=" + "a".repeat(5000);
        assertThat(WebhookSigner.verify(SECRET, huge, BODY, AT_T, FIVE_MINUTES)).isFalse();
    }
}
