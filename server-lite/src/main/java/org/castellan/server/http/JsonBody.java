package org.castellan.server.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.stream.Collectors;
import org.castellan.protocol.Json;

/**
 * Reads JSON request bodies with the strict shared mapper and turns Jackson's errors into
 * messages that name the field and the problem but never repeat the submitted value (which could
 * be a secret someone pasted into the wrong field).
 */
public final class JsonBody {
    private JsonBody() {}

    /** Requires a JSON content type and a non-empty, well-formed body of type {@code type}. */
    public static <T> T read(Context ctx, Class<T> type) {
        byte[] body = RequestLimits.body(ctx);
        requireJsonContentType(ctx);
        return parse(body, type);
    }

    /**
     * {@code application/json}, optionally with {@code charset=utf-8}: 415 for another media type or
     * charset, 400 {@code malformed-content-type} for a value that does not parse.
     */
    public static void requireJsonContentType(Context ctx) {
        String header = ctx.header("Content-Type");
        if (header == null) {
            throw new ApiException(415, "unsupported-media-type", "request body must be application/json");
        }
        ContentType contentType = ContentType.parse(header).orElseThrow(() ->
                ApiException.badRequest("malformed-content-type", "the Content-Type header is malformed"));
        if (!contentType.mediaType().equals("application/json")) {
            throw new ApiException(415, "unsupported-media-type", "request body must be application/json");
        }
        String charset = contentType.parameters().get("charset");
        if (charset != null && !charset.equalsIgnoreCase("utf-8")) {
            throw new ApiException(415, "unsupported-media-type", "request body must be UTF-8 (charset=utf-8 or none)");
        }
    }

    public static <T> T parse(byte[] body, Class<T> type) {
        if (body.length == 0) {
            throw ApiException.badRequest("malformed-json", "request body is empty; a JSON object is required");
        }
        requireStrictText(body);
        try {
            // Duplicate keys are refused: two readers could otherwise disagree on what was sent.
            T value = Json.mapper().readerFor(type)
                    .with(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .readValue(body);
            if (value == null) {
                throw ApiException.badRequest("malformed-json", "request body must be a JSON object, not null");
            }
            return value;
        } catch (JacksonException e) {
            throw translate(e);
        } catch (IOException e) {
            throw ApiException.badRequest("malformed-json", "request body could not be read as JSON");
        }
    }

    /**
     * RFC 8259 JSON text: UTF-8 without a byte-order mark, refused rather than repaired when it is
     * not. Jackson skips a BOM, and decodes overlong forms and {@code \\ud800} escapes into strings
     * that the database then stores as something other than what was sent.
     */
    static void requireStrictText(byte[] body) {
        if (startsWithByteOrderMark(body)) {
            throw ApiException.badRequest("byte-order-mark", "request body starts with a byte-order mark; send UTF-8 without one");
        }
        try {
            StrictUtf8.decode(body);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw ApiException.badRequest("invalid-utf8", "request body is not valid UTF-8");
        }
        try (com.fasterxml.jackson.core.JsonParser parser = Json.mapper().getFactory().createParser(body)) {
            com.fasterxml.jackson.core.JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if ((token == com.fasterxml.jackson.core.JsonToken.VALUE_STRING
                        || token == com.fasterxml.jackson.core.JsonToken.FIELD_NAME)
                        && !StrictUtf8.wellFormedUtf16(parser.getText())) {
                    throw ApiException.badRequest("invalid-utf8",
                            "request body holds a lone surrogate escape (\\ud800-\\udfff without its pair)");
                }
            }
        } catch (JacksonException e) {
            throw translate(e);
        } catch (IOException e) {
            throw ApiException.badRequest("malformed-json", "request body could not be read as JSON");
        }
    }

    private static boolean startsWithByteOrderMark(byte[] b) {
        return b.length >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf
                || b.length >= 2 && ((b[0] & 0xff) == 0xfe && (b[1] & 0xff) == 0xff
                        || (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xfe)
                || b.length >= 4 && b[0] == 0 && b[1] == 0 && (b[2] & 0xff) == 0xfe && (b[3] & 0xff) == 0xff;
    }

    /** A message for a JSON error that names the place and problem but not the value. */
    public static String describe(JacksonException e) {
        return translate(e).getMessage();
    }

    static ApiException translate(JacksonException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return ApiException.badRequest("unknown-field", "unknown field '" + safeName(unknown.getPropertyName()) + "'");
        }
        if (e instanceof JsonParseException || !(e instanceof JsonMappingException)) {
            JsonLocation at = e.getLocation();
            if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")) {
                return ApiException.badRequest("malformed-json", "a field appears twice"
                        + (at == null ? "" : " at line " + at.getLineNr() + " column " + at.getColumnNr()));
            }
            String where = at == null ? "" : " at line " + at.getLineNr() + " column " + at.getColumnNr();
            return ApiException.badRequest("malformed-json", "malformed JSON" + where);
        }
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (original.startsWith("Trailing token")) {
            return ApiException.badRequest("malformed-json", "unexpected content after the JSON value");
        }
        JsonMappingException mapping = (JsonMappingException) e;
        String field = fieldPath(mapping);
        if (mapping instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            String expected = describe(mismatch.getTargetType());
            if (field.isEmpty()) {
                return ApiException.badRequest("invalid-type", "request body must be " + expected);
            }
            if (mapping instanceof InvalidFormatException) {
                return ApiException.badRequest("invalid-type", "field '" + field + "' must be " + expected);
            }
            return ApiException.badRequest("invalid-type", "field '" + field + "' must be " + expected);
        }
        if (original.startsWith("Duplicate field")) {
            return ApiException.badRequest("malformed-json", "field '" + field + "' appears twice");
        }
        return ApiException.badRequest("invalid-type",
                field.isEmpty() ? "request body does not have the expected shape" : "field '" + field + "' is not valid");
    }

    private static String fieldPath(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? safeName(ref.getFieldName()) : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    /** Field names come from the client too: keep them short and printable. */
    private static String safeName(String name) {
        if (name == null) {
            return "?";
        }
        String cleaned = name.replaceAll("[^A-Za-z0-9_.-]", "?");
        return cleaned.length() > 40 ? cleaned.substring(0, 40) + "..." : cleaned;
    }

    private static String describe(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (type == java.time.Instant.class) {
            return "an ISO-8601 UTC time such as 2030-01-31T00:00:00Z";
        }
        return "an object";
    }
}
