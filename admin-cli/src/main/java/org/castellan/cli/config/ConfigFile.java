package org.castellan.cli.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Iterator;
import java.util.Set;
import org.castellan.cli.CliException;
import org.castellan.cli.http.StreamingJson;
import org.castellan.protocol.Json;

/**
 * The CLI's config file: a JSON object with optional {@code server}, {@code token} and
 * {@code serverFingerprint}. Unknown keys are errors, so a typo does not silently fall back to a
 * default. A file holding a token must not be readable by group or others.
 */
public record ConfigFile(String server, String token, String serverFingerprint) {
    static final ConfigFile EMPTY = new ConfigFile(null, null, null);
    private static final Set<String> KEYS = Set.of("server", "token", "serverFingerprint");

    /**
     * Reads {@code path}. A missing file is an empty config unless the user named it
     * ({@code explicit}), in which case it is an error.
     */
    public static ConfigFile load(Path path, boolean explicit) {
        JsonNode root;
        try {
            // Read without building a mapper unless the file is malformed (see StreamingJson): every call reads it.
            root = StreamingJson.tree(Files.readAllBytes(path), Json::mapper);
        } catch (NoSuchFileException e) {
            if (explicit) {
                throw new CliException(CliException.FAILED, "config file " + path + " does not exist");
            }
            return EMPTY;
        } catch (JacksonException e) {
            // Jackson's message may quote the file's content, which may hold the token: say where only.
            throw new CliException(CliException.FAILED, "config file " + path + " is not valid JSON (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new CliException(CliException.FAILED, "cannot read config file " + path + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new CliException(CliException.FAILED, "config file " + path + " must hold a JSON object");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!KEYS.contains(name)) {
                throw new CliException(CliException.FAILED, "config file " + path + ": unknown key '" + name
                        + "' (known keys: server, token, serverFingerprint)");
            }
        }
        ConfigFile config = new ConfigFile(text(root, "server", path), text(root, "token", path),
                text(root, "serverFingerprint", path));
        if (config.token() != null) {
            refuseIfOthersCanRead(path);
        }
        return config;
    }

    private static String text(JsonNode root, String key, Path path) {
        JsonNode value = root.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new CliException(CliException.FAILED, "config file " + path + ": '" + key + "' must be a string");
        }
        return value.asText().isBlank() ? null : value.asText();
    }

    /** Promise 5: a token in a file others can read has leaked sideways; refuse rather than use it. */
    private static void refuseIfOthersCanRead(Path path) {
        Set<PosixFilePermission> permissions = FilePermissions.posixOrNull(path);
        if (permissions != null && FilePermissions.othersCanRead(permissions)) {
            throw new CliException(CliException.FAILED, "refusing to read config file " + path
                    + ": it holds a token but is readable by group or others (" + PosixFilePermissions.toString(permissions)
                    + "); run: chmod 600 " + path);
        }
    }

    @Override
    public String toString() {
        return "ConfigFile[server=" + server + ", token=" + (token == null ? "null" : "***")
                + ", serverFingerprint=" + serverFingerprint + "]";
    }

    /** Small helpers shared with the token file check. */
    static final class FilePermissions {
        private FilePermissions() {}

        /** The file's POSIX permissions, or null where the file system has none (Windows). */
        static Set<PosixFilePermission> posixOrNull(Path path) {
            if (Files.getFileAttributeView(path, PosixFileAttributeView.class) == null) {
                return null;
            }
            try {
                return Files.getPosixFilePermissions(path);
            } catch (IOException | UnsupportedOperationException e) {
                return null;
            }
        }

        static boolean othersCanRead(Set<PosixFilePermission> permissions) {
            return permissions.contains(PosixFilePermission.GROUP_READ)
                    || permissions.contains(PosixFilePermission.OTHERS_READ);
        }
    }
}
