package org.castellan.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.castellan.protocol.Json;

/** The real castellan admin CLI jar; the token travels in the environment, not argv. */
final class AdminCli {
    private final ServerProcess server;
    private final String token;

    AdminCli(ServerProcess server, String token) {
        this.server = server;
        this.token = token;
    }

    ProcessResult run(String... args) throws Exception {
        return runWithStdin(null, args);
    }

    /** Runs with {@code stdin} fed to the CLI (passwords and secrets travel this way). */
    ProcessResult runWithStdin(String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(TestJvm.jar(Processes.jar("castellan.jar")));
        command.addAll(List.of(args));
        return Processes.run(command, Map.of(
                "CASTELLAN_SERVER", server.url(),
                "CASTELLAN_SERVER_FINGERPRINT", server.fingerprint(),
                "CASTELLAN_TOKEN", token,
                "HOME", System.getProperty("java.io.tmpdir")), stdin);
    }

    /** The same server, as another user. */
    AdminCli as(String otherToken) {
        return new AdminCli(server, otherToken);
    }

    /** Runs and insists on success. */
    ProcessResult ok(String... args) throws Exception {
        ProcessResult result = run(args);
        if (result.exitCode() != 0) {
            throw new AssertionError("castellan " + String.join(" ", args) + " failed: " + result.describe());
        }
        return result;
    }

    JsonNode json(String... args) throws Exception {
        List<String> withJson = new ArrayList<>(List.of("-o", "json"));
        withJson.addAll(List.of(args));
        return Json.mapper().readTree(ok(withJson.toArray(String[]::new)).stdout());
    }
}
