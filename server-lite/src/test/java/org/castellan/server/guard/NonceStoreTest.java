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
    void recordingANonceDeletesNoOtherRowEvenAStaleOne() throws Exception {
        NonceStore nonces = new NonceStore(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(5));
        try (Database db = OnPostgres.open(dataDir)) {
            db.write(c -> {
                nonces.record(c, request("old-nonce-aaaaaaaaaaaa", NOW.minus(Duration.ofHours(1))));
                nonces.record(c, request("new-nonce-aaaaaaaaaaaa", NOW));
                return null;
            });
        }
        // A request pays for its own nonce only: pruning is NoncePurger's, in writes of its own.
        assertThat(DbSnapshot.count(dataDir, "SELECT COUNT(*) FROM request_nonces")).isEqualTo(2);
    }

    @Test
    void pruningTakesOnlyRowsOlderThanTheSkewAndTheClockMarginAndAtMostTheLimit() throws Exception {
        NonceStore nonces = new NonceStore(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(5));
        Instant edge = NOW.minus(Duration.ofMinutes(5)).minusSeconds(60);
        try (Database db = OnPostgres.open(dataDir)) {
            db.write(c -> {
                for (int i = 0; i < 3; i++) {
                    nonces.record(c, request("stale-nonce-aaaaaaaaa" + i, edge.minusSeconds(1 + i)));
                }
                nonces.record(c, request("edge-nonce-aaaaaaaaaaa", edge));
                nonces.record(c, request("fresh-nonce-aaaaaaaaaa", NOW.minus(Duration.ofMinutes(5))));
                return null;
            });
            assertThat((int) db.write(c -> nonces.pruneStale(c, 2))).isEqualTo(2);
            assertThat((int) db.write(c -> nonces.pruneStale(c, 2))).isEqualTo(1);
            assertThat((int) db.write(c -> nonces.pruneStale(c, 2))).isZero();
        }
        assertThat(DbSnapshot.count(dataDir, "SELECT COUNT(*) FROM request_nonces WHERE nonce LIKE 'stale%'")).isZero();
        assertThat(DbSnapshot.count(dataDir, "SELECT COUNT(*) FROM request_nonces")).isEqualTo(2);
    }
}
