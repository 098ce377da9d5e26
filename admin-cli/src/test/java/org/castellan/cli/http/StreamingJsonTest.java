package org.castellan.cli.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.castellan.cli.testing.Fixtures;
import org.castellan.protocol.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The streaming tree reader gives exactly the tree the shared mapper gives (same node types, so an
 * int stays an IntNode and a big number a BigIntegerNode), takes plain documents itself, and hands
 * everything else to the mapper, whose error then is the answer.
 */
class StreamingJsonTest {
    /** Documents the streaming reader must build itself: what servers and config files hold. */
    static List<String> plain() {
        return List.of(
                "[" + Fixtures.device("5f0c7a9e-1d2b-4c3d-9e8f-0a1b2c3d4e5f", "web01") + "," + Fixtures.device("b", "WEB01") + "]",
                "[]", "{}", "  {\"server\" : \"https://c.example:8443\", \"token\": null}\n",
                "{\"server\":\"https://c\",\"token\":\"cst_x\",\"serverFingerprint\":\"ab12\"}",
                "{\"a\":1,\"b\":-2147483648,\"c\":2147483648,\"d\":9223372036854775807,\"e\":9223372036854775808,"
                        + "\"f\":-9223372036854775809,\"g\":0,\"h\":-0}",
                "{\"a\":1.5,\"b\":-0.0,\"c\":1e3,\"d\":1E-7,\"e\":1e400,\"f\":123456789012345678901234.5,\"g\":0.1}",
                "{\"s\":\"\\u00fc\\n\\t\\\"\\\\/\\ud83d\\ude00 \",\"t\":true,\"f\":false,\"n\":null,\"e\":\"\"}",
                "{\"nested\":{\"list\":[[],[{}],[1,[2,[3]]],{\"x\":{\"y\":null}}]}}",
                "\"just a string\"", "42", "null", "true", "[1,\"two\",3.0,null,false]",
                "{\"a\":{\"k\":1},\"b\":{\"k\":2}}", // the same key in two objects is not a duplicate
                "{\"ü\":\"é\",\"\":\"empty key\"}");
    }

    /** Documents the mapper must judge: errors, duplicate keys, trailing content, limits. */
    static List<String> forTheMapper() {
        return List.of("", "   ", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{'a':1}", "[NaN]", "{\"a\":01}",
                "{\"a\":1,\"a\":2}", "{\"x\":{\"k\":1,\"k\":1}}", "[{\"a\":1,\"b\":2,\"a\":3}]",
                "{} {}", "[] x", "1 2", "{\"a\":1}]", "\"unterminated", "{\"a\":\"\u0001\"}",
                "[".repeat(33) + "]".repeat(33), "{\"n\":" + "9".repeat(31) + "}",
                "{\"s\":\"" + "x".repeat(70_001) + "\"}");
    }

    @ParameterizedTest
    @MethodSource("plain")
    void buildsPlainDocumentsItselfExactlyAsTheMapperDoes(String document) throws Exception {
        byte[] bytes = document.getBytes(StandardCharsets.UTF_8);
        JsonNode streamed = StreamingJson.plainTree(bytes);
        JsonNode mapped = Json.mapper().readTree(bytes);

        assertThat(streamed).as("taken by the streaming reader").isNotNull();
        assertSameTree(streamed, mapped);
        assertSameTree(StreamingJson.tree(bytes, LenientJson::mapper), LenientJson.mapper().readTree(bytes));
    }

    @ParameterizedTest
    @MethodSource("forTheMapper")
    void handsEverythingElseToTheMapperWhoseAnswerItGives(String document) {
        byte[] bytes = document.getBytes(StandardCharsets.UTF_8);
        assertThat(StreamingJson.plainTree(bytes)).as("left to the mapper").isNull();

        Object expected = outcome(() -> Json.mapper().readTree(bytes));
        Object actual = outcome(() -> StreamingJson.tree(bytes, Json::mapper));
        assertThat(String.valueOf(actual)).isEqualTo(String.valueOf(expected));
    }

    @Test
    void aDuplicateKeyIsTheMappersErrorNotTheLastValue() {
        byte[] bytes = "{\"server\":\"https://good\",\"server\":\"https://evil\"}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> StreamingJson.tree(bytes, Json::mapper))
                .isInstanceOf(com.fasterxml.jackson.core.JacksonException.class)
                .hasMessageContaining("Duplicate field 'server'");
    }

    /** Equal and of the same node classes all the way down. */
    private static void assertSameTree(JsonNode actual, JsonNode expected) {
        assertThat(actual).isEqualTo(expected);
        assertThat(actual.getClass()).isEqualTo(expected.getClass());
        assertThat(actual.size()).isEqualTo(expected.size());
        if (expected.isObject()) {
            expected.properties().forEach(field -> assertSameTree(actual.get(field.getKey()), field.getValue()));
            assertThat(actual.properties().stream().map(java.util.Map.Entry::getKey).toList())
                    .isEqualTo(expected.properties().stream().map(java.util.Map.Entry::getKey).toList());
        } else if (expected.isArray()) {
            for (int i = 0; i < expected.size(); i++) {
                assertSameTree(actual.get(i), expected.get(i));
            }
        }
    }

    private interface Read {
        JsonNode read() throws Exception;
    }

    /** The tree, or the exception's class and message. */
    private static Object outcome(Read read) {
        Throwable thrown = catchThrowable(() -> read.read());
        if (thrown != null) {
            return thrown.getClass().getName() + ": " + thrown.getMessage();
        }
        try {
            return read.read();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
