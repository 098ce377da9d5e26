package org.castellan.server.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.castellan.server.db.Database;
import org.castellan.server.http.ApiException;
import org.castellan.server.testing.DbSnapshot;
import org.castellan.server.testing.OnPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NonceStoreTest {
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    @TempDir
    Path dataDir;

    private static SignedRequest request(String nonce, Instant at) {
        return new SignedRequest(null, "device-key", nonce, at.getEpochSecond(), new byte[0]);
    }

    @Test
    void secondUseOfANonceIsARefusedReplay() throws Exception {
        NonceStore nonces = new NonceStore(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(5));
        try (Database db = OnPostgres.open(dataDir)) {
            db.write(c -> {
                nonces.record(c, request("nonce-aaaaaaaaaaaaaaaa", NOW));
                return null;
            });
            ApiException replay = catchThrowableOfType(ApiException.class, () -> db.write(c -> {
                nonces.record(c, request("nonce-aaaaaaaaaaaaaaaa", NOW));
                return null;
            }));
            assertThat(replay.code()).isEqualTo("replayed-request");
        }
    }

    @Test
    void noncesOutsideTheSkewWindowArePruned() throws Exception {
        NonceStore nonces = new NonceStore(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(5));
        try (Database db = OnPostgres.open(dataDir)) {
            db.write(c -> {
                nonces.record(c, request("old-nonce-aaaaaaaaaaaa", NOW.minus(Duration.ofMinutes(10))));
                nonces.record(c, request("new-nonce-aaaaaaaaaaaa", NOW));
                return null;
            });
        }
        // The first record pruned the stale row (its timestamp could never pass the skew check again).
        assertThat(DbSnapshot.count(dataDir, "SELECT COUNT(*) FROM request_nonces")).isEqualTo(1);
        assertThat(DbSnapshot.count(dataDir, "SELECT COUNT(*) FROM request_nonces WHERE nonce LIKE 'new%'")).isEqualTo(1);
    }
}
