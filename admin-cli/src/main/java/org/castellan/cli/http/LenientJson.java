package org.castellan.cli.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import org.castellan.protocol.Json;

/**
 * The shared strict mapper, relaxed for reading responses: unknown fields are ignored, because
 * the server grows new fields and an older CLI must keep working, fields a server leaves out
 * read as null or false, and numbers or booleans read
 * into String fields (an id sent as a number). The typed answers are the shared records of
 * module {@code api}, whose secrets read straight into {@code Secret}s.
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
                // An older server leaves out fields added since (a flag of the shared api records): false, not an error.
                .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(SerializationFeature.INDENT_OUTPUT);
        // An id the server sends as a number still reads into a String field.
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert)
                .setCoercion(CoercionInputShape.Float, CoercionAction.TryConvert)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.TryConvert);
        return mapper;
    }
}
