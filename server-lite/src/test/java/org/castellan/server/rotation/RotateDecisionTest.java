package org.castellan.server.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.castellan.server.policy.Policy;
import org.castellan.server.testing.NoDatabase;
import org.junit.jupiter.api.Test;

@NoDatabase("no database, no server: the same on either backend")
class RotateDecisionTest {
    private static final Instant NOW = Instant.parse("2030-06-01T12:00:00Z");
    private static final Policy POLICY = Policy.defaults(Policy.DEFAULT); // maxAgeDays 30

    private static Optional<Rotation> committed(Instant at, Instant expiresAt) {
        return Optional.of(new Rotation("r", "d", "root", Rotation.COMMITTED, null, at, at, null, expiresAt, null));
    }

    private static Optional<String> decide(Optional<Rotation> current, String account, Instant requested) {
        return RotateDecision.decide(current, account, requested, POLICY, NOW);
    }

    @Test
    void noCommittedPasswordRotatesFirst() {
        assertThat(decide(Optional.empty(), "root", NOW)).contains("no-password");
    }

    @Test
    void freshPasswordStays() {
        assertThat(decide(committed(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(29))), "root", null)).isEmpty();
    }

    @Test
    void accountChangeWinsOverRequestAndAge() {
        Instant old = NOW.minus(Duration.ofDays(90));
        assertThat(decide(committed(old, old), "admin", NOW)).contains("account-changed");
        assertThat(decide(committed(old, old), null, null)).as("no account reported").contains("expired");
    }

    @Test
    void requestCountsOnlyIfAfterTheLastCommit() {
        Instant committedAt = NOW.minus(Duration.ofDays(1));
        assertThat(decide(committed(committedAt, null), "root", committedAt.plusSeconds(1))).contains("requested");
        assertThat(decide(committed(committedAt, null), "root", committedAt.minusSeconds(1))).isEmpty();
    }

    @Test
    void expiryAndMaxAgeAreSeparateReasons() {
        Instant recent = NOW.minus(Duration.ofDays(2));
        assertThat(decide(committed(recent, NOW), "root", null)).contains("expired");
        Instant old = NOW.minus(Duration.ofDays(30));
        assertThat(decide(committed(old, null), "root", null)).contains("max-age");
    }
}
