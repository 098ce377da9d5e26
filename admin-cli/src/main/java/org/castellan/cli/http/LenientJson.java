package org.castellan.cli.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.util.Arrays;
import org.castellan.protocol.Json;
import org.castellan.protocol.Secret;

/**
 * The shared strict mapper, relaxed for reading responses: unknown fields are ignored, because
 * the server grows new fields and an older CLI must keep working, and numbers or booleans read
 * into String fields (an id sent as a number). It also reads JSON
 * strings straight into {@link Secret}s, so revealed passwords and keys can be wiped.
 */
public final class LenientJson {
    private static final ObjectMapper MAPPER = build();

    private LenientJson() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private static ObjectMapper build() {
        ObjectMapper mapper = Json.mapper().copy()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(SerializationFeature.INDENT_OUTPUT);
        // An id the server sends as a number still reads into a String field.
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert)
                .setCoercion(CoercionInputShape.Float, CoercionAction.TryConvert)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.TryConvert);
        mapper.registerModule(new SimpleModule("castellan-cli-secrets").addDeserializer(Secret.class, new SecretDeserializer()));
        return mapper;
    }

    private static final class SecretDeserializer extends JsonDeserializer<Secret> {
        @Override
        public Secret deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.currentToken() != JsonToken.VALUE_STRING) {
                return (Secret) context.handleUnexpectedToken(Secret.class, parser);
            }
            // Copy straight out of the parser's buffer: no String is made for the secret.
            char[] buffer = parser.getTextCharacters();
            int offset = parser.getTextOffset();
            return Secret.adopt(Arrays.copyOfRange(buffer, offset, offset + parser.getTextLength()));
        }
    }
}
