package org.castellan.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.castellan.protocol.messages.AgentPolicy;
import org.castellan.protocol.messages.RegisterRequest;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void unknownFieldsAreRejected() {
        assertThatThrownBy(() -> Json.mapper().readValue(
                "{\"registrationKey\":\"k\",\"hostname\":\"h\",\"os\":\"linux\",\"osVersion\":\"1\","
                        + "\"agentVersion\":\"1\",\"publicKey\":\"p\",\"isAdmin\":true}", RegisterRequest.class))
                .isInstanceOf(JsonProcessingException.class).hasMessageContaining("isAdmin");
    }

    @Test
    void scalarsAreNotCoercedAcrossTypes() {
        assertThatThrownBy(() -> Json.mapper().readValue("{\"account\":\"a\",\"length\":\"20\",\"complexity\":\"full\","
                + "\"passphraseWords\":0,\"excludeLookalikes\":true,\"maxAgeDays\":30,\"checkInSeconds\":60}", AgentPolicy.class))
                .isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> Json.mapper().readValue("{\"registrationKey\":5,\"hostname\":\"h\",\"os\":\"linux\","
                + "\"osVersion\":\"1\",\"agentVersion\":\"1\",\"publicKey\":\"p\"}", RegisterRequest.class))
                .isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> Json.mapper().readValue("{\"account\":\"a\",\"length\":null,\"complexity\":\"full\","
                + "\"passphraseWords\":0,\"excludeLookalikes\":true,\"maxAgeDays\":30,\"checkInSeconds\":60}", AgentPolicy.class))
                .isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void ordinaryCheckInLeavesTheCloneFieldOutSoOlderServersStillReadIt() throws Exception {
        String ordinary = Json.mapper().writeValueAsString(new org.castellan.protocol.messages.CheckInRequest(
                "h", "1", "1", "root", null, java.util.List.of()));
        String clone = Json.mapper().writeValueAsString(new org.castellan.protocol.messages.CheckInRequest(
                "h", "1", "1", null, null, java.util.List.of(), "machine-id differ"));

        assertThat(ordinary).doesNotContain("cloneDetected");
        assertThat(clone).contains("\"cloneDetected\":\"machine-id differ\"");
        assertThat(Json.mapper().readValue(clone, org.castellan.protocol.messages.CheckInRequest.class).cloneDetected())
                .isEqualTo("machine-id differ");
    }

    @Test
    void trailingGarbageIsRejected() {
        assertThatThrownBy(() -> Json.mapper().readValue("{\"detail\":null} {}",
                org.castellan.protocol.messages.RotationOutcome.class)).isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void wellFormedMessagesRoundTrip() throws Exception {
        AgentPolicy policy = new AgentPolicy("root", 24, "full", 0, true, 30, 3600,
                new org.castellan.protocol.messages.AccountOptions(true, false, true, false));
        String json = Json.mapper().writeValueAsString(policy);
        assertThat(json).contains("\"accountOptions\":{\"createAccount\":true,\"ensureAdmin\":false,"
                + "\"enableAccount\":true,\"removeKeychainAfterReset\":false}");
        assertThat(Json.mapper().readValue(json, AgentPolicy.class)).isEqualTo(policy);
    }

    @Test
    void policyFromAnOlderServerWithoutAccountOptionsMeansEverythingOff() throws Exception {
        String older = "{\"account\":\"root\",\"length\":24,\"complexity\":\"full\",\"passphraseWords\":0,"
                + "\"excludeLookalikes\":true,\"maxAgeDays\":30,\"checkInSeconds\":3600}";
        assertThat(Json.tolerant().readValue(older, AgentPolicy.class).accountOptions())
                .isEqualTo(org.castellan.protocol.messages.AccountOptions.NONE);
    }

    @Test
    void anOlderAgentReadsAPolicyWithAccountOptionsTolerantly() throws Exception {
        // An old agent's AgentPolicy has no accountOptions: the tolerant reader must skip the
        // nested object. Simulated with a record of the old shape.
        String newer = Json.mapper().writeValueAsString(new AgentPolicy("root", 24, "full", 0, true, 30, 3600,
                new org.castellan.protocol.messages.AccountOptions(true, true, true, true)));
        assertThat(Json.tolerant().readValue(newer, OldAgentPolicy.class).checkInSeconds()).isEqualTo(3600);
    }

    record OldAgentPolicy(String account, int length, String complexity, int passphraseWords,
                          boolean excludeLookalikes, int maxAgeDays, int checkInSeconds) {}

    @Test
    void tolerantReaderIgnoresNewFieldsButKeepsTypesStrict() throws Exception {
        String newer = "{\"rotationId\":\"r\",\"state\":\"pending\",\"addedLater\":1}";
        assertThat(Json.tolerant().readValue(newer, org.castellan.protocol.messages.EscrowResponse.class).state())
                .isEqualTo("pending");
        assertThatThrownBy(() -> Json.mapper().readValue(newer, org.castellan.protocol.messages.EscrowResponse.class))
                .isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> Json.tolerant().readValue("{\"rotationId\":5,\"state\":\"x\"}",
                org.castellan.protocol.messages.EscrowResponse.class)).isInstanceOf(JsonProcessingException.class);
    }
}
