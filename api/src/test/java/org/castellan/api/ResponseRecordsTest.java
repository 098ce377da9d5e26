package org.castellan.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.castellan.protocol.Json;
import org.castellan.protocol.Secret;
import org.junit.jupiter.api.Test;

/** What the server writes with the strict mapper, a client reads back with the tolerant one. */
class ResponseRecordsTest {
    private static final Instant AT = Instant.parse("2030-01-02T03:04:05.678Z");

    @Test
    void aRevealRoundTripsWithItsPasswordsAsSecrets() throws Exception {
        PasswordReveal sent = new PasswordReveal("d-1", "web01", "root", Secret.of("correct horse"), "r-2", AT, null,
                List.of(new PasswordReveal.Pending("r-3", "root", Secret.of("pending one"), AT, "may be in use")));
        byte[] json = Json.mapper().writeValueAsBytes(sent);
        JsonNode tree = Json.mapper().readTree(json);
        assertThat(tree.get("password").asText()).isEqualTo("correct horse");
        assertThat(tree.get("rotatedAt").asText()).isEqualTo("2030-01-02T03:04:05.678Z");
        assertThat(tree.get("expiresAt").isNull()).isTrue();

        PasswordReveal read = Json.tolerant().readValue(json, PasswordReveal.class);
        assertThat(read.password().sameAs(Secret.of("correct horse"))).isTrue();
        assertThat(read.pending()).singleElement().satisfies(p -> {
            assertThat(p.password().sameAs(Secret.of("pending one"))).isTrue();
            assertThat(p.escrowedAt()).isEqualTo(AT);
        });
        read.wipe();
        assertThat(read.password().isCleared()).isTrue();
        assertThat(read.pending().get(0).password().isCleared()).isTrue();
    }

    @Test
    void aRecoveryKeyNamesItsDeviceOnlyWhenFoundByKeyId() throws Exception {
        JsonNode byDevice = Json.mapper().readTree(Json.mapper().writeValueAsBytes(
                RecoveryKey.onDevice("vol-1", null, "{ABC}", Secret.of("1111-2222"), AT, null)));
        assertThat(byDevice.has("deviceId")).isFalse();
        assertThat(byDevice.has("hostname")).isFalse();
        assertThat(byDevice.get("volumeLabel").isNull()).isTrue();
        assertThat(byDevice.get("removedAt").isNull()).isTrue();

        JsonNode found = Json.mapper().readTree(Json.mapper().writeValueAsBytes(
                new RecoveryKey("d-1", "web01", "vol-1", "C:", "{ABC}", Secret.of("1111-2222"), AT, null)));
        assertThat(found.fieldNames()).toIterable().startsWith("deviceId", "hostname", "volumeId");
    }

    @Test
    void aClientIgnoresFieldsItDoesNotKnowYet() throws Exception {
        CreatedToken token = Json.tolerant().readValue(
                "{\"id\":\"t-1\",\"name\":\"ci\",\"token\":\"cat_x\",\"expiresAt\":null,\"later\":1}", CreatedToken.class);
        assertThat(token.token().sameAs(Secret.of("cat_x"))).isTrue();
        assertThat(token.expiresAt()).isNull();
    }
}
