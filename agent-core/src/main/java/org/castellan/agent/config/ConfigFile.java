package org.castellan.agent.config;

import java.io.IOException;
import java.util.Optional;
import org.castellan.agent.state.StateDir;
import org.castellan.protocol.Json;

/**
 * {@code STATE_DIR/config.json}: defaults an administrator (or a packaging tool) can place before
 * registration. Unknown keys are an error. It never holds the registration key itself, only the
 * path of a file that does.
 *
 * @param server default for {@code --server}
 * @param serverFingerprint default for {@code --server-fingerprint}
 * @param registrationKeyFile default for {@code --registration-key-file}
 */
public record ConfigFile(String server, String serverFingerprint, String registrationKeyFile) {
    public static final String FILE = "config.json";
    public static final ConfigFile EMPTY = new ConfigFile(null, null, null);

    public static ConfigFile read(StateDir dir) throws ConfigException {
        try {
            Optional<byte[]> bytes = dir.read(FILE);
            return bytes.isEmpty() ? EMPTY : Json.mapper().readValue(bytes.get(), ConfigFile.class);
        } catch (IOException e) {
            throw new ConfigException("read config file " + dir.resolve(FILE), e);
        }
    }
}
