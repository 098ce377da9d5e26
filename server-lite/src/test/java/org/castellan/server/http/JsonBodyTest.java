package org.castellan.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import org.castellan.protocol.messages.EscrowRequest;
import org.castellan.server.policy.PolicyUpdate;
import org.castellan.server.testing.NoDatabase;
import org.junit.jupiter.api.Test;

@NoDatabase("no database, no server: the same on either backend")
class JsonBodyTest {
    private static ApiException refuse(String json, Class<?> type) {
        return catchThrowableOfType(ApiException.class, () -> JsonBody.parse(json.getBytes(StandardCharsets.UTF_8), type));
    }

    @Test
    void wrongTypeNamesTheFieldButNotTheValue() {
        ApiException e = refuse("{\"length\":\"hunter2\"}", PolicyUpdate.class);
        assertThat(e.code()).isEqualTo("invalid-type");
        assertThat(e.getMessage()).isEqualTo("field 'length' must be a number").doesNotContain("hunter2");
    }

    @Test
    void nestedFieldPathIsNamed() {
        ApiException e = refuse("{\"envelope\":{\"keyId\":5}}", EscrowRequest.class);
        assertThat(e.getMessage()).isEqualTo("field 'envelope.keyId' must be a string");
    }

    @Test
    void malformedJsonGivesPositionOnly() {
        ApiException e = refuse("{\"length\": hunter2}", PolicyUpdate.class);
        assertThat(e.code()).isEqualTo("malformed-json");
        assertThat(e.getMessage()).isEqualTo("malformed JSON at line 1 column 12");
    }

    @Test
    void trailingGarbageAndDuplicateKeysAreMalformed() {
        assertThat(refuse("{} {}", PolicyUpdate.class).code()).isEqualTo("malformed-json");
        assertThat(refuse("null", PolicyUpdate.class).code()).isEqualTo("malformed-json");
        ApiException duplicate = refuse("{\"length\":20,\"length\":99}", PolicyUpdate.class);
        assertThat(duplicate.code()).isEqualTo("malformed-json");
        assertThat(duplicate.getMessage()).startsWith("a field appears twice");
    }

    @Test
    void unknownFieldNameIsSanitized() {
        ApiException e = refuse("{\"a\\nb\":1}", PolicyUpdate.class);
        assertThat(e.code()).isEqualTo("unknown-field");
        assertThat(e.getMessage()).isEqualTo("unknown field 'a?b'");
    }
}
