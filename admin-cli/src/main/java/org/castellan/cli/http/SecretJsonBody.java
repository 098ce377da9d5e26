package org.castellan.cli.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.castellan.cli.input.WipeableBuffer;
import org.castellan.protocol.Secret;

/**
 * A JSON object request body with plain fields plus secret ones, written straight from each
 * secret's characters so no {@code String} of the secret is made. The caller keeps ownership of
 * the secrets.
 */
public final class SecretJsonBody {
    private final ObjectNode fields;
    private final Map<String, Secret> secrets = new LinkedHashMap<>();

    public SecretJsonBody(ObjectNode fields) {
        this.fields = fields;
    }

    public SecretJsonBody secret(String name, Secret value) {
        secrets.put(name, value);
        return this;
    }

    /** The encoded body in a fresh array; the caller wipes it. */
    byte[] bytes() {
        int secretLength = secrets.values().stream().mapToInt(Secret::length).sum();
        // Sized up front so the buffer does not grow (which would leave copies behind).
        WipeableBuffer buffer = new WipeableBuffer(1024 + fields.toString().length() * 2 + secretLength * 6);
        try {
            try (JsonGenerator generator = LenientJson.mapper().getFactory().createGenerator(buffer)) {
                generator.writeStartObject();
                for (Map.Entry<String, JsonNode> field : fields.properties()) {
                    generator.writeFieldName(field.getKey());
                    generator.writeTree(field.getValue());
                }
                for (Map.Entry<String, Secret> secret : secrets.entrySet()) {
                    generator.writeFieldName(secret.getKey());
                    char[] chars = secret.getValue().chars();
                    try {
                        generator.writeString(chars, 0, chars.length);
                        generator.flush();
                    } finally {
                        java.util.Arrays.fill(chars, '\0');
                    }
                }
                generator.writeEndObject();
            }
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode request body", e);
        } finally {
            buffer.wipe();
        }
    }
}
