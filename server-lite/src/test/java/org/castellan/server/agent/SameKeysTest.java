package org.castellan.server.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.castellan.protocol.envelope.Envelope;
import org.castellan.server.recovery.RecoveryKeyRecord;
import org.castellan.server.testing.NoDatabase;
import org.junit.jupiter.api.Test;

/** The verdicts an escrow's write uses: judged ones as judged; an unjudged one aborts the attempt, or on the last is a different key. */
@NoDatabase("the verdicts in memory; the escrows themselves are in EscrowRaceTest and RecoveryKeyEscrowTest")
class SameKeysTest {
    private static RecoveryKeyRecord record(String id) {
        return new RecoveryKeyRecord(id, "device-1", "vol-1", "C:", "prot-" + id,
                new Envelope("vault-1", "HPKE-X25519-HKDF-SHA256-AES-256-GCM", "e", "c"), Instant.EPOCH, null);
    }

    @Test
    void aJudgedRecordIsAnsweredAsJudgedOnEveryAttempt() {
        for (boolean last : new boolean[] {false, true}) {
            SameKeys.Verdicts verdicts = new SameKeys.Verdicts(Map.of("same", true, "other", false), last);
            assertThat(verdicts.same(record("same"))).isTrue();
            assertThat(verdicts.same(record("other"))).isFalse();
        }
    }

    @Test
    void aRecordNotJudgedAbandonsTheAttemptAndOnTheLastCountsAsADifferentKey() {
        assertThatThrownBy(() -> new SameKeys.Verdicts(Map.of(), false).same(record("new")))
                .isInstanceOf(RuntimeException.class).hasMessageContaining("not judged");
        assertThat(new SameKeys.Verdicts(Map.of(), true).same(record("new"))).isFalse();
    }
}
