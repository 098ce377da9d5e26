package org.castellan.server.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.util.List;
import org.castellan.protocol.Json;

/** Lists of strings stored as a JSON array in one TEXT column. */
public final class JsonColumns {
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

    private JsonColumns() {}

    public static String write(List<String> values) {
        try {
            return Json.mapper().writeValueAsString(values == null ? List.of() : values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a string list", e);
        }
    }

    public static List<String> read(String json) {
        try {
            return json == null ? List.of() : Json.mapper().readValue(json, STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored column is not a JSON array of strings", e);
        }
    }
}
