package org.castellan.server.cli.agentpackage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;

/**
 * The agent's {@code config.json} (defaults for {@code castellan-agent register}): the server
 * URLs, the pinned fingerprint and, where the path is fixed, the file holding the registration
 * key. Never the key itself.
 */
final class AgentConfigJson {
    private AgentConfigJson() {}

    static byte[] write(List<String> servers, String fingerprint, String keyFile) throws IOException {
        ObjectNode config = new ObjectMapper().createObjectNode();
        config.put("server", String.join(",", servers));
        config.put("serverFingerprint", fingerprint);
        if (keyFile != null) {
            config.put("registrationKeyFile", keyFile);
        }
        return (new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(config) + "\n").getBytes(
                java.nio.charset.StandardCharsets.UTF_8);
    }
}
