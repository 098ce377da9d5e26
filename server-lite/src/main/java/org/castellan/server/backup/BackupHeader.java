package org.castellan.server.backup;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import com.fasterxml.jackson.databind.JsonNode;
import org.castellan.protocol.Json;
import org.castellan.server.users.Argon2Params;

/**
 * The plaintext start of a backup file (format described in docs/backup.md): the line
 * {@value #MAGIC}, then one line of JSON with what is needed to derive the key and nothing
 * secret: KDF name and costs, salt, nonce prefix, key check, chunk size, the database kind and
 * the creation time. Its exact bytes are the associated data of every chunk, so none of it can
 * be changed without the restore noticing.
 */
record BackupHeader(Argon2Params kdf, byte[] salt, byte[] noncePrefix, byte[] keyCheck, String database,
                    Instant createdAt, byte[] encoded) {
    static final String MAGIC = "castellan-backup v1";
    static final int CHUNK_BYTES = 1 << 20;
    private static final int MAX_LINE = 4096;

    static BackupHeader create(BackupKey key, Argon2Params kdf, byte[] salt, byte[] noncePrefix, String database,
                               Instant createdAt) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("kdf", Map.of("name", "argon2id", "version", 19, "memoryKiB", kdf.memoryKiB(),
                "iterations", kdf.iterations(), "parallelism", kdf.parallelism()));
        json.put("salt", b64(salt));
        json.put("cipher", "aes-256-gcm-stream");
        json.put("chunkBytes", CHUNK_BYTES);
        json.put("noncePrefix", b64(noncePrefix));
        json.put("keyCheck", b64(key.check()));
        json.put("database", database);
        json.put("createdAt", createdAt.toString());
        String line;
        try {
            line = Json.mapper().writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        byte[] encoded = (MAGIC + "\n" + line + "\n").getBytes(StandardCharsets.UTF_8);
        return new BackupHeader(kdf, salt, noncePrefix, key.check(), database, createdAt, encoded);
    }

    static byte[] random(SecureRandom random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Reads the two header lines; throws when this is not a Castellan backup of a known version. */
    static BackupHeader read(InputStream in) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        String magic = line(in, raw);
        if (!MAGIC.equals(magic)) {
            if (magic != null && magic.startsWith("castellan-backup ")) {
                throw new BackupException("this backup has format '" + magic + "', which this version cannot read");
            }
            throw new BackupException("not a Castellan backup file (it does not start with '" + MAGIC + "')");
        }
        String jsonLine = line(in, raw);
        if (jsonLine == null) {
            throw SealedInputStream.damaged("its header is cut short");
        }
        try {
            JsonNode json = Json.mapper().readTree(jsonLine);
            JsonNode kdf = json.required("kdf");
            if (!"argon2id".equals(kdf.required("name").asText()) || kdf.required("version").asInt() != 19
                    || !"aes-256-gcm-stream".equals(json.required("cipher").asText())
                    || json.required("chunkBytes").asInt() != CHUNK_BYTES) {
                throw new BackupException("this backup uses a key derivation or cipher this version does not know");
            }
            Argon2Params params = new Argon2Params(kdf.required("memoryKiB").asInt(), kdf.required("iterations").asInt(),
                    kdf.required("parallelism").asInt());
            byte[] salt = unb64(json.required("salt").asText(), 16);
            byte[] prefix = unb64(json.required("noncePrefix").asText(), 7);
            byte[] check = unb64(json.required("keyCheck").asText(), 16);
            return new BackupHeader(params, salt, prefix, check, json.required("database").asText(),
                    Instant.parse(json.required("createdAt").asText()), raw.toByteArray());
        } catch (BackupException e) {
            throw e;
        } catch (IOException | IllegalArgumentException | java.time.DateTimeException e) {
            throw SealedInputStream.damaged("its header is malformed (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static String line(InputStream in, ByteArrayOutputStream raw) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            raw.write(b);
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            line.write(b);
            if (line.size() > MAX_LINE) {
                return "";
            }
        }
        return null;
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static byte[] unb64(String text, int length) {
        byte[] bytes = Base64.getDecoder().decode(text);
        if (bytes.length != length) {
            throw new IllegalArgumentException("field of " + bytes.length + " bytes, expected " + length);
        }
        return bytes;
    }
}
