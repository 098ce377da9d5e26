package org.castellan.cli.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.function.Supplier;
import org.castellan.protocol.JsonLimits;

/**
 * JSON read with Jackson's streaming parser alone, for the CLI's hot path ({@code password get}).
 * The first use of any {@code ObjectMapper} costs ~50 ms of a ~0.33 s call: its static set-up
 * reaches Jackson's {@code StdDateFormat}, which loads the JDK's CLDR locale data and time-zone
 * rules, whether or not a date is ever read. A parser from a plain {@link JsonFactory} costs none
 * of that.
 *
 * <p>The readers here take well-formed input of the plain shape and give exactly what the mapper
 * gives; anything else (a syntax error, a duplicate key, trailing content, a limit exceeded) is
 * handed to the mapper, so errors and their messages stay the mapper's. {@code StreamingJsonTest}
 * and {@code StreamingJsonFuzzTest} hold them to that.
 */
public final class StreamingJson {
    /** A factory with the shared mapper's limits, built without building a mapper. */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(JsonLimits.readConstraints()).build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private StreamingJson() {}

    /** A parser over {@code bytes} with the shared limits; the caller closes it. */
    public static JsonParser parser(byte[] bytes) throws IOException {
        return FACTORY.createParser(bytes);
    }

    /**
     * The document as {@code fallback.get().readTree(bytes)} reads it (the fallback is a strict
     * or lenient copy of the shared mapper: their trees are the same), built without a mapper
     * unless the input is one the mapper must judge.
     */
    public static JsonNode tree(byte[] bytes, Supplier<ObjectMapper> fallback) throws IOException {
        JsonNode tree = plainTree(bytes);
        return tree != null ? tree : fallback.get().readTree(bytes);
    }

    /** The tree of a well-formed document with one root value and no duplicate keys, else null. */
    static JsonNode plainTree(byte[] bytes) {
        try (JsonParser parser = parser(bytes)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return null; // empty input: the mapper's MissingNode, or its error
            }
            JsonNode root = value(parser, first);
            // Trailing content is an error for the shared mapper (FAIL_ON_TRAILING_TOKENS).
            return root != null && parser.nextToken() == null ? root : null;
        } catch (IOException e) {
            return null; // malformed, or over a limit: the mapper says so, in its words
        }
    }

    /** The value starting at {@code token}, as Jackson's JsonNodeDeserializer builds it; null for a duplicate key. */
    private static JsonNode value(JsonParser parser, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                for (JsonToken next = parser.nextToken(); next == JsonToken.FIELD_NAME; next = parser.nextToken()) {
                    String name = parser.currentName();
                    JsonNode member = value(parser, parser.nextToken());
                    // A duplicate key is an error for the shared mapper (FAIL_ON_READING_DUP_TREE_KEY).
                    if (member == null || object.has(name)) {
                        return null;
                    }
                    object.set(name, member);
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
                    JsonNode element = value(parser, next);
                    if (element == null) {
                        return null;
                    }
                    array.add(element);
                }
                return array;
            }
            case VALUE_STRING -> {
                return NODES.textNode(parser.getText());
            }
            case VALUE_NUMBER_INT -> {
                return switch (parser.getNumberType()) {
                    case INT -> NODES.numberNode(parser.getIntValue());
                    case LONG -> NODES.numberNode(parser.getLongValue());
                    default -> NODES.numberNode(parser.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return NODES.numberNode(parser.getDoubleValue());
            }
            case VALUE_TRUE -> {
                return NODES.booleanNode(true);
            }
            case VALUE_FALSE -> {
                return NODES.booleanNode(false);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> {
                return null;
            }
        }
    }
}
