package org.castellan.server.cli.agentpackage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.castellan.server.testing.NoDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@NoDatabase("no database, no server: the same on either backend")
class RegistrationKeyFileTest {
    private static final String KEY = "crk_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG";
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private RegistrationKeyFile read(String content) throws Exception {
        Path file = dir.resolve("key");
        Files.writeString(file, content);
        return RegistrationKeyFile.read(file);
    }

    private static String json(String maxUses, String expiresAt) {
        return "{\"id\":\"k-7\",\"key\":\"" + KEY + "\",\"name\":\"laptops\",\"maxUses\":" + maxUses
                + ",\"expiresAt\":" + expiresAt + ",\"requireApproval\":false,\"groups\":[]}";
    }

    @Test
    void theJsonOfRegistrationKeysCreateGivesKeyAndBounds() throws Exception {
        RegistrationKeyFile file = read(json("50", "\"2030-02-01T00:00:00Z\"") + "\n");
        assertThat(new String(file.key(), StandardCharsets.UTF_8)).isEqualTo(KEY);
        assertThat(file.id()).isEqualTo("k-7");
        assertThat(file.maxUses()).isEqualTo(50);
        assertThat(file.expiresAt()).isEqualTo(Instant.parse("2030-02-01T00:00:00Z"));
        assertThat(file.checkBounds(NOW, false)).isNull();
        assertThat(file.toString()).doesNotContain(KEY);
    }

    @Test
    void aKeyThatNeverExpiresOrHasNoMaxUsesIsRefusedUnlessForced() throws Exception {
        RegistrationKeyFile noExpiry = read(json("50", "null"));
        assertThatThrownBy(() -> noExpiry.checkBounds(NOW, false)).isInstanceOf(RegistrationKeyFile.Refused.class)
                .hasMessageContaining("registration key k-7").hasMessageContaining("never expires")
                .hasMessageContaining("--force").hasMessageNotContaining(KEY);
        RegistrationKeyFile unlimited = read(json("null", "\"2030-02-01T00:00:00Z\""));
        assertThatThrownBy(() -> unlimited.checkBounds(NOW, false)).hasMessageContaining("no maximum number of uses");
        RegistrationKeyFile neither = read(json("null", "null"));
        assertThatThrownBy(() -> neither.checkBounds(NOW, false))
                .hasMessageContaining("never expires and it has no maximum number of uses");
        assertThat(neither.checkBounds(NOW, true)).startsWith("warning: ").contains("--force").doesNotContain(KEY);
    }

    @Test
    void aBareKeyStatesNoBoundsSoItNeedsForce() throws Exception {
        RegistrationKeyFile bare = read(KEY + "\n");
        assertThat(new String(bare.key(), StandardCharsets.UTF_8)).isEqualTo(KEY);
        assertThatThrownBy(() -> bare.checkBounds(NOW, false)).hasMessageContaining("bare key")
                .hasMessageContaining("-o json");
        assertThat(bare.checkBounds(NOW, true)).contains("bare key");
    }

    @Test
    void anExpiredOrUsedUpKeyIsRefusedEvenWhenForced() throws Exception {
        RegistrationKeyFile expired = read(json("50", "\"2029-12-31T23:59:59Z\""));
        assertThatThrownBy(() -> expired.checkBounds(NOW, true)).hasMessageContaining("expired at 2029-12-31T23:59:59Z");
        RegistrationKeyFile zero = read(json("0", "\"2030-02-01T00:00:00Z\""));
        assertThatThrownBy(() -> zero.checkBounds(NOW, true)).hasMessageContaining("maxUses 0");
    }

    @Test
    void somethingThatIsNotARegistrationKeyIsRefused() {
        assertThatThrownBy(() -> read("cat_anAdminTokenByMistake0123456789")).isInstanceOf(RegistrationKeyFile.Refused.class)
                .hasMessageContaining("does not hold a registration key").hasMessageNotContaining("anAdminToken");
        assertThatThrownBy(() -> read("")).hasMessageContaining("must hold one key");
        assertThatThrownBy(() -> read(KEY + " " + KEY)).hasMessageContaining("must hold one key");
        assertThatThrownBy(() -> read("{\"id\":\"x\"}")).hasMessageContaining("has no \"key\"");
        assertThatThrownBy(() -> read("{not json")).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> read(json("5", "\"tomorrow\""))).hasMessageContaining("not an ISO-8601 instant");
    }

    @Test
    void versionsAreSpelledForEachFormat() {
        assertThat(Versions.deb("0.1.0-SNAPSHOT", 3)).isEqualTo("0.1.0~SNAPSHOT-3");
        assertThat(Versions.rpm("0.1.0-SNAPSHOT")).isEqualTo("0.1.0~SNAPSHOT");
        assertThat(Versions.msi("0.1.0-SNAPSHOT", 3)).isEqualTo("0.1.0.3");
        assertThat(Versions.msi("2.10", 1)).isEqualTo("2.10.0.1");
    }
}
