package org.castellan.agent.linux;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.castellan.agent.spi.LuksHeader;
import org.castellan.agent.spi.LuksToken;
import org.castellan.protocol.Json;

/**
 * {@code cryptsetup luksDump --dump-json-metadata DEVICE}: the LUKS2 header's JSON area. Key slot
 * and token numbers are the object keys; a token's {@code keyslots} are strings of numbers.
 */
final class LuksDumpParser {
    private LuksDumpParser() {}

    static LuksHeader header(String json) throws IOException {
        JsonNode root = Json.tolerant().readTree(json);
        if (root == null || !root.isObject() || !root.path("keyslots").isObject()) {
            throw new IOException("luksDump JSON metadata has no \"keyslots\" object");
        }
        TreeSet<Integer> slots = new TreeSet<>();
        for (Iterator<String> it = root.get("keyslots").fieldNames(); it.hasNext(); ) {
            slots.add(number(it.next(), "key slot"));
        }
        List<LuksToken> tokens = new ArrayList<>();
        JsonNode tokenNodes = root.path("tokens");
        for (Iterator<Map.Entry<String, JsonNode>> it = tokenNodes.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode t = e.getValue();
            List<Integer> keyslots = new ArrayList<>();
            for (JsonNode s : t.path("keyslots")) {
                keyslots.add(number(s.asText(), "token key slot"));
            }
            String type = t.path("type").asText(null);
            String protectorId = LuksToken.TYPE.equals(type) ? t.path("protectorId").asText(null) : null;
            tokens.add(new LuksToken(number(e.getKey(), "token"), type, keyslots, protectorId,
                    LuksToken.TYPE.equals(type) ? instant(t.path("created").asText(null)) : null));
        }
        return new LuksHeader(slots, tokens);
    }

    /** The token Castellan imports: its type, the slot, the protector id and when it was added. */
    static String tokenJson(LuksToken token) {
        Map<String, Object> json = new java.util.LinkedHashMap<>();
        json.put("type", LuksToken.TYPE);
        json.put("keyslots", token.keyslots().stream().map(String::valueOf).toList());
        json.put("protectorId", token.protectorId());
        json.put("created", token.created().toString());
        try {
            return Json.mapper().writeValueAsString(json);
        } catch (IOException e) {
            throw new IllegalStateException("serialize LUKS token", e);
        }
    }

    private static int number(String text, String what) throws IOException {
        try {
            int n = Integer.parseInt(text);
            if (n < 0 || n > 255) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IOException("luksDump JSON metadata: " + what + " '" + text + "' is not a number");
        }
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null; // an unreadable date counts as unknown: the key is then due for replacement
        }
    }
}
