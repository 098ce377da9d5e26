package org.castellan.server.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.castellan.server.db.Database;
import org.castellan.server.testing.DbSnapshot;
import org.castellan.server.testing.OnPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NoncePurgerTest {
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final Duration SKEW = Duration.ofMinutes(5);
    @TempDir
    Path dataDir;

    private static void seed(Database db, String prefix, int count, Instant at) {
        NonceStore nonces = new NonceStore(Clock.fixed(NOW, ZoneOffset.UTC), SKEW);
        db.write(c -> {
            for (int i = 0; i < count; i++) {
                nonces.record(c, new SignedRequest(null, "device-key-" + (i % 7), prefix + i, at.getEpochSecond(),
                        new byte[0]));
            }
            return null;
        });
    }

    @Test
    void aPurgeDeletesEveryStaleNonceInWritesOfAtMostOneBatch() throws Exception {
        try (Database db = OnPostgres.open(dataDir)) {
            seed(db, "stale-nonce-", 1_234, NOW.minus(Duration.ofHours(2)));
            seed(db, "fresh-nonce-", 40, NOW.minusSeconds(30));
            NoncePurger purger = new NoncePurger(db, Clock.fixed(NOW, ZoneOffset.UTC), SKEW, 500);
            long writesBefore = db.writeBatchesAndUnits()[1];

            assertThat(purger.purge()).isEqualTo(1_234);
            // 500 + 500 + 234: the short batch ends the run. One write for all would be 1.
            assertThat(db.writeBatchesAndUnits()[1] - writesBefore).isEqualTo(3);
            assertThat(purger.purge()).isZero();
        }
        assertThat(DbSnapshot.count(dataDir, "SELECT COUNT(*) FROM request_nonces WHERE nonce LIKE 'stale%'")).isZero();
        assertThat(DbSnapshot.count(dataDir, "SELECT COUNT(*) FROM request_nonces WHERE nonce LIKE 'fresh%'"))
                .isEqualTo(40);
    }

    @Test
    void theGuardsPurgeUsesTheGuardsOwnSkew() throws Exception {
        try (Database db = OnPostgres.open(dataDir)) {
            // Stale under a two-minute skew (and its minute of margin), still usable under the default five.
            seed(db, "past-short-skew-", 3, NOW.minus(Duration.ofMinutes(3)).minusSeconds(1));
            seed(db, "inside-short-skew-", 2, NOW.minus(Duration.ofMinutes(3)).plusSeconds(1));
            AgentGuard guard = new AgentGuard(db, null, null, null, Clock.fixed(NOW, ZoneOffset.UTC),
                    Duration.ofMinutes(2), null);
            assertThat(guard.noncePurger().purge()).isEqualTo(3);
        }
        assertThat(DbSnapshot.count(dataDir, "SELECT COUNT(*) FROM request_nonces WHERE nonce LIKE 'inside%'"))
                .isEqualTo(2);
    }

    @Test
    void aNodeThatDoesNotLeadPurgesNothing() throws Exception {
        try (Database db = OnPostgres.open(dataDir)) {
            seed(db, "stale-nonce-", 10, NOW.minus(Duration.ofHours(2)));
            NoncePurger purger = new NoncePurger(db, Clock.fixed(NOW, ZoneOffset.UTC), SKEW);
            purger.runWhen(() -> false);
            assertThat(purger.purgeIfLeader()).isEqualTo(-1);
            purger.runWhen(() -> true);
            assertThat(purger.purgeIfLeader()).isEqualTo(10);
        }
    }
}
