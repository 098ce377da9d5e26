package org.castellan.protocol.messages;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.castellan.protocol.Json;
import org.junit.jupiter.api.Test;

/** The just-in-time fields of the check-in: round trips, and older peers on either side. */
class JitMessagesTest {
    @Test
    void aCheckInWithoutReportsLeavesTheFieldOutSoOlderServersStillReadIt() throws Exception {
        String json = Json.mapper().writeValueAsString(new CheckInRequest("h", "1", "1", "root", null, List.of()));
        assertThat(json).doesNotContain("jitReports");
        assertThat(Json.mapper().readValue(json, CheckInRequest.class).jitReports()).isEmpty();
    }

    @Test
    void reportsAndGrantsRoundTrip() throws Exception {
        Instant at = Instant.parse("2026-12-02T10:00:00Z");
        CheckInRequest request = new CheckInRequest("h", "1", "1", "root", null, List.of(), null,
                List.of(new JitReport("g1", JitReport.EXPIRED, at, null)));
        assertThat(Json.mapper().readValue(Json.mapper().writeValueAsString(request), CheckInRequest.class))
                .isEqualTo(request);
        CheckInResponse answer = new CheckInResponse(at, null, null, false, null, List.of(),
                List.of(new JitGrant("g1", "ann", at.plusSeconds(7200))), true);
        assertThat(Json.mapper().readValue(Json.mapper().writeValueAsString(answer), CheckInResponse.class))
                .isEqualTo(answer);
    }

    @Test
    void anAnswerFromAServerWithoutJitRightsHasNoListAndNothingPending() throws Exception {
        CheckInResponse old = Json.tolerant().readValue("{\"serverTime\":\"2026-12-02T10:00:00Z\",\"policy\":null,"
                + "\"vaultKey\":null,\"rotate\":false,\"rotateReason\":null}", CheckInResponse.class);
        assertThat(old.jitGrants()).as("null: the agent changes nothing it holds").isNull();
        assertThat(old.jitPending()).isFalse();
    }
}
