package org.castellan.agent.state;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.castellan.agent.AgentException;
import org.castellan.agent.spi.KeyProtector;
import org.castellan.agent.spi.PlatformException;
import org.castellan.protocol.Json;
import org.castellan.protocol.signing.DeviceKeyPair;

/**
 * The device's Ed25519 private key in {@code device.key}: sealed by the platform's
 * {@link KeyProtector} (DPAPI on Windows, identity on Linux/macOS where the 0600 file in a 0700
 * directory is the protection), written atomically, never readable by other users.
 */
public final class DeviceKeyStore {
    public static final String FILE = "device.key";

    private final StateDir dir;
    private final KeyProtector protector;

    public DeviceKeyStore(StateDir dir, KeyProtector protector) {
        this.dir = dir;
        this.protector = protector;
    }

    /** The file's layout: which protector sealed the key, and the sealed bytes in base64. */
    record KeyFile(@JsonProperty("version") int version, @JsonProperty("protector") String protector,
                   @JsonProperty("sealed") String sealed) {
        @Override
        public String toString() {
            return "KeyFile[" + protector + "]";
        }
    }

    public void save(DeviceKeyPair key) throws AgentException {
        byte[] seed = key.privateKeyBytes();
        byte[] sealed = null;
        byte[] content = null;
        try {
            sealed = protector.seal(seed);
            content = Json.mapper().writeValueAsBytes(
                    new KeyFile(1, protector.name(), Base64.getEncoder().encodeToString(sealed)));
            dir.writeAtomically(FILE, content);
        } catch (PlatformException | IOException e) {
            throw new AgentException("store device key in " + dir.resolve(FILE), e);
        } finally {
            Arrays.fill(seed, (byte) 0);
            if (sealed != null) {
                Arrays.fill(sealed, (byte) 0);
            }
            if (content != null) {
                Arrays.fill(content, (byte) 0);
            }
        }
    }

    public DeviceKeyPair load() throws AgentException {
        byte[] content = null;
        byte[] sealed = null;
        byte[] seed = null;
        try {
            content = dir.read(FILE).orElseThrow(() -> new AgentException("device key " + dir.resolve(FILE)
                    + " is missing; register this device again with 'castellan-agent register --force'"));
            KeyFile file = Json.mapper().readValue(new String(content, StandardCharsets.US_ASCII), KeyFile.class);
            if (!protector.name().equals(file.protector())) {
                throw new AgentException("device key " + dir.resolve(FILE) + " was sealed with "
                        + file.protector() + " but this platform uses " + protector.name());
            }
            sealed = Base64.getDecoder().decode(file.sealed());
            seed = protector.unseal(sealed);
            return DeviceKeyPair.fromPrivateKey(seed);
        } catch (PlatformException | IOException | IllegalArgumentException e) {
            throw new AgentException("load device key from " + dir.resolve(FILE), e);
        } finally {
            for (byte[] bytes : new byte[][] {content, sealed, seed}) {
                if (bytes != null) {
                    Arrays.fill(bytes, (byte) 0);
                }
            }
        }
    }
}
