package org.castellan.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;
import java.util.Arrays;
import org.castellan.protocol.Secret;

/** A {@link Secret} as a JSON string, without making a {@code String} of it on either side. */
public final class SecretJson {
    private SecretJson() {}

    public static final class Writer extends JsonSerializer<Secret> {
        @Override
        public void serialize(Secret secret, JsonGenerator out, SerializerProvider provider) throws IOException {
            char[] chars = secret.chars();
            try {
                out.writeString(chars, 0, chars.length);
            } finally {
                Arrays.fill(chars, '\0');
            }
        }
    }

    public static final class Reader extends JsonDeserializer<Secret> {
        @Override
        public Secret deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.currentToken() != JsonToken.VALUE_STRING) {
                return (Secret) context.handleUnexpectedToken(Secret.class, parser);
            }
            // Copied straight out of the parser's buffer.
            char[] buffer = parser.getTextCharacters();
            int offset = parser.getTextOffset();
            return Secret.adopt(Arrays.copyOfRange(buffer, offset, offset + parser.getTextLength()));
        }
    }

    /** Wipes a secret that may be absent. */
    static void wipe(Secret secret) {
        if (secret != null) {
            secret.close();
        }
    }
}
