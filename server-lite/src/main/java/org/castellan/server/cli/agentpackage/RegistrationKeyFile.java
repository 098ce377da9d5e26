package org.castellan.server.cli.agentpackage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

/**
 * The registration key a package will carry, read from the file the admin gives, with the key's
 * bounds. A key inside a package is copied wherever the package goes, so it must run out: an expiry
 * and a maximum number of uses. This command has only the file (no server connection), so the
 * bounds come from the file: the JSON that {@code castellan registration-keys create -o json}
 * prints is the server's own answer, with {@code id}, {@code key}, {@code maxUses} and
 * {@code expiresAt}. A file with the bare key states no bounds and is refused unless forced.
 *
 * @param key the key's UTF-8 bytes; the caller clears them
 * @param id the key's id when the file names it (not secret), else null
 */
public record RegistrationKeyFile(byte[] key, String id, Integer maxUses, Instant expiresAt) {
    static final int MAX_FILE_BYTES = 64 * 1024;
    static final String PREFIX = "crk_";

    /** Thrown for a file or key that cannot go into a package; the message never holds the key. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    public static RegistrationKeyFile read(Path file) throws IOException, Refused {
        byte[] raw;
        try (InputStream in = Files.newInputStream(file)) {
            raw = in.readNBytes(MAX_FILE_BYTES + 1);
        }
        try {
            if (raw.length > MAX_FILE_BYTES) {
                throw new Refused("registration key file " + file + " is larger than " + MAX_FILE_BYTES + " bytes");
            }
            String text = new String(raw, StandardCharsets.UTF_8).strip();
            RegistrationKeyFile parsed = text.startsWith("{") ? fromJson(text, file) : bare(text, file);
            if (!new String(parsed.key(), StandardCharsets.UTF_8).startsWith(PREFIX)) {
                parsed.wipe();
                throw new Refused("registration key file " + file + " does not hold a registration key (they start with "
                        + PREFIX + "; an API token or another secret must not go into a package)");
            }
            return parsed;
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    private static RegistrationKeyFile bare(String text, Path file) throws Refused {
        if (text.isEmpty() || text.chars().anyMatch(Character::isWhitespace)) {
            throw new Refused("registration key file " + file + " must hold one key, or the JSON of"
                    + " 'castellan registration-keys create -o json'");
        }
        return new RegistrationKeyFile(text.getBytes(StandardCharsets.UTF_8), null, null, null);
    }

    private static RegistrationKeyFile fromJson(String text, Path file) throws Refused {
        JsonNode tree;
        try {
            tree = new ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new Refused("registration key file " + file + " is not valid JSON");
        }
        JsonNode key = tree.get("key");
        if (key == null || !key.isTextual() || key.asText().isBlank()) {
            throw new Refused("registration key file " + file + " has no \"key\" (expected the JSON of"
                    + " 'castellan registration-keys create -o json')");
        }
        Integer maxUses = tree.hasNonNull("maxUses") && tree.get("maxUses").canConvertToInt() ? tree.get("maxUses").asInt() : null;
        Instant expiresAt = null;
        if (tree.hasNonNull("expiresAt")) {
            try {
                expiresAt = Instant.parse(tree.get("expiresAt").asText());
            } catch (DateTimeParseException e) {
                throw new Refused("registration key file " + file + ": \"expiresAt\" is not an ISO-8601 instant");
            }
        }
        String id = tree.hasNonNull("id") ? tree.get("id").asText() : null;
        return new RegistrationKeyFile(key.asText().strip().getBytes(StandardCharsets.UTF_8), id, maxUses, expiresAt);
    }

    /**
     * Refuses a key that has run out, and unless {@code force}, one without an expiry or a maximum
     * number of uses. Returns a warning to print when forced past a missing bound, else null.
     */
    public String checkBounds(Instant now, boolean force) throws Refused {
        String name = id == null ? "the registration key" : "registration key " + id;
        if (expiresAt != null && !now.isBefore(expiresAt)) {
            throw new Refused(name + " expired at " + expiresAt + "; no device could register with it");
        }
        if (maxUses != null && maxUses < 1) {
            throw new Refused(name + " has maxUses " + maxUses + "; no device could register with it");
        }
        StringBuilder missing = new StringBuilder();
        if (id == null && expiresAt == null && maxUses == null) {
            missing.append("its file holds the bare key, so its expiry and maximum uses cannot be checked"
                    + " (write the file with 'castellan registration-keys create --max-uses N --expires-in D -o json > FILE')");
        } else {
            if (expiresAt == null) {
                missing.append("it never expires");
            }
            if (maxUses == null) {
                missing.append(missing.length() == 0 ? "" : " and ").append("it has no maximum number of uses");
            }
        }
        if (missing.length() == 0) {
            return null;
        }
        if (!force) {
            throw new Refused(name + " goes into the package, and every copy of the package can use it: " + missing
                    + ". Create a key with --max-uses and --expires-in, or give --force to package this one anyway");
        }
        return "warning: packaging " + name + " although " + missing + " (--force)";
    }

    public void wipe() {
        Arrays.fill(key, (byte) 0);
    }

    @Override
    public String toString() {
        return "RegistrationKeyFile[id=" + id + ", maxUses=" + maxUses + ", expiresAt=" + expiresAt + ", key=***]";
    }
}
