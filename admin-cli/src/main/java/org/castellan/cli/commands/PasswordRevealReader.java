package org.castellan.cli.commands;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.castellan.api.PasswordReveal;
import org.castellan.cli.http.StreamingJson;
import org.castellan.protocol.Secret;

/**
 * Reads a {@code GET /api/v1/devices/{id}/password} answer with the streaming parser, for
 * {@code password get}: databinding {@link PasswordReveal} costs ~28 ms of introspection at a
 * call's first use, and the mapper itself ~50 ms (see {@link StreamingJson}). It takes the shape
 * the server writes: an object whose fields are strings or null, timestamps as ISO instants in UTC,
 * {@code pending} null or a list of such objects; unknown fields are skipped, as the CLI's lenient
 * mapper skips them. For anything else (a number where a string is expected, a duplicate field,
 * another timestamp spelling, malformed JSON) it gives up, wiping what it read, and the caller
 * reads the answer with the mapper, whose result or error is then the answer.
 * {@code PasswordRevealReaderTest} holds it to the mapper's result on every input it takes.
 */
final class PasswordRevealReader {
    private PasswordRevealReader() {}

    /** The reveal, or null when the mapper must read this body. Passwords are copied straight from the parser's buffer. */
    static PasswordReveal read(byte[] body) {
        return read(body, new ArrayList<>());
    }

    /** As {@link #read(byte[])}; every secret made is added to {@code read}, and wiped when it gives up. */
    static PasswordReveal read(byte[] body, List<Secret> read) {
        try (JsonParser parser = StreamingJson.parser(body)) {
            PasswordReveal reveal = parser.nextToken() == JsonToken.START_OBJECT ? reveal(parser, read) : null;
            if (reveal != null && parser.nextToken() == null) {
                return reveal;
            }
        } catch (IOException | GiveUp e) {
            // the mapper reads it, and says what is wrong with it
        }
        read.forEach(Secret::close);
        return null;
    }

    /** Not the plain shape: the mapper must judge this body. */
    private static final class GiveUp extends Exception {
        private static final long serialVersionUID = 1L;

        GiveUp() {
            super(null, null, false, false);
        }
    }

    private static PasswordReveal reveal(JsonParser parser, List<Secret> read) throws IOException, GiveUp {
        String deviceId = null;
        String hostname = null;
        String account = null;
        Secret password = null;
        String rotationId = null;
        Instant rotatedAt = null;
        Instant expiresAt = null;
        List<PasswordReveal.Pending> pending = null;
        Set<String> seen = new HashSet<>();
        for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
            String name = parser.currentName();
            if (!seen.add(name)) {
                throw new GiveUp();
            }
            JsonToken value = parser.nextToken();
            switch (name) {
                case "deviceId" -> deviceId = text(parser, value);
                case "hostname" -> hostname = text(parser, value);
                case "account" -> account = text(parser, value);
                case "password" -> password = secret(parser, value, read);
                case "rotationId" -> rotationId = text(parser, value);
                case "rotatedAt" -> rotatedAt = instant(parser, value);
                case "expiresAt" -> expiresAt = instant(parser, value);
                case "pending" -> pending = pending(parser, value, read);
                default -> parser.skipChildren();
            }
        }
        return new PasswordReveal(deviceId, hostname, account, password, rotationId, rotatedAt, expiresAt, pending);
    }

    private static List<PasswordReveal.Pending> pending(JsonParser parser, JsonToken token, List<Secret> read)
            throws IOException, GiveUp {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.START_ARRAY) {
            throw new GiveUp();
        }
        List<PasswordReveal.Pending> pending = new ArrayList<>();
        for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
            if (next != JsonToken.START_OBJECT) {
                throw new GiveUp();
            }
            pending.add(onePending(parser, read));
        }
        return pending;
    }

    private static PasswordReveal.Pending onePending(JsonParser parser, List<Secret> read) throws IOException, GiveUp {
        String rotationId = null;
        String account = null;
        Secret password = null;
        Instant escrowedAt = null;
        String note = null;
        Set<String> seen = new HashSet<>();
        for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
            String name = parser.currentName();
            if (!seen.add(name)) {
                throw new GiveUp();
            }
            JsonToken value = parser.nextToken();
            switch (name) {
                case "rotationId" -> rotationId = text(parser, value);
                case "account" -> account = text(parser, value);
                case "password" -> password = secret(parser, value, read);
                case "escrowedAt" -> escrowedAt = instant(parser, value);
                case "note" -> note = text(parser, value);
                default -> parser.skipChildren();
            }
        }
        return new PasswordReveal.Pending(rotationId, account, password, escrowedAt, note);
    }

    private static String text(JsonParser parser, JsonToken token) throws IOException, GiveUp {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_STRING) {
            throw new GiveUp(); // the lenient mapper turns numbers and booleans into text: its call
        }
        return parser.getText();
    }

    private static Secret secret(JsonParser parser, JsonToken token, List<Secret> read) throws IOException, GiveUp {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_STRING) {
            throw new GiveUp();
        }
        char[] buffer = parser.getTextCharacters();
        int offset = parser.getTextOffset();
        Secret secret = Secret.adopt(java.util.Arrays.copyOfRange(buffer, offset, offset + parser.getTextLength()));
        read.add(secret);
        return secret;
    }

    /** Only {@code …Z}, the one spelling the server writes; Jackson's reader also takes others, so those go to it. */
    private static Instant instant(JsonParser parser, JsonToken token) throws IOException, GiveUp {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_STRING) {
            throw new GiveUp();
        }
        String text = parser.getText();
        if (text.length() < 20 || text.charAt(text.length() - 1) != 'Z') {
            throw new GiveUp();
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new GiveUp();
        }
    }
}
