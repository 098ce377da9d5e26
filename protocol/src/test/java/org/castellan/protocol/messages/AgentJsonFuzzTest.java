package org.castellan.protocol.messages;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import org.castellan.protocol.ApiError;
import org.castellan.protocol.Json;

/**
 * Fuzzes the JSON readers on the agent's side of the wire: every answer type the agent reads from
 * a server (or from something pretending to be one), with the tolerant mapper it uses, and the
 * strict mapper the server uses for the same records. Reading may fail only with Jackson's
 * {@link IOException}, which the agent turns into a clear error; anything else (a
 * NullPointerException in a record, an ArithmeticException, a StackOverflowError) is a finding,
 * because it would escape the agent's error handling.
 */
class AgentJsonFuzzTest {
    private static final Class<?>[] TYPES = {RegisterResponse.class, CheckInResponse.class, EscrowResponse.class,
            RotationStateResponse.class, RecoveryKeyEscrowResponse.class, ApiError.class, RegisterRequest.class,
            CheckInRequest.class, EscrowRequest.class, RotationOutcome.class, RecoveryKeyEscrowRequest.class};

    @FuzzTest(maxDuration = "10s")
    void answersReadOrFailWithAJsonError(FuzzedDataProvider data) {
        Class<?> type = TYPES[data.consumeInt(0, TYPES.length - 1)];
        boolean tolerant = data.consumeBoolean();
        byte[] json = data.consumeRemainingAsBytes();
        try {
            Object value = (tolerant ? Json.tolerant() : Json.mapper()).readValue(json, type);
            if (value != null) {
                Json.mapper().writeValueAsBytes(value); // what was read can be written back
            }
        } catch (IOException e) {
            // refused with a JSON error: the expected outcome for most inputs
        }
    }
}
