package org.castellan.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.castellan.e2e.ServerProcess;
import org.castellan.e2e.TestJvm;
import org.castellan.protocol.Json;

/** The real admin CLI jar against a real server; the token travels in the environment. */
final class Admin {
    private final ServerProcess server;
    private final String token;

    Admin(ServerProcess server) throws Exception {
        this.server = server;
        this.token = server.adminToken();
    }

    Command.Result run(String... args) throws Exception {
        List<String> command = new ArrayList<>(TestJvm.jar(PackageAgent.jars().resolve("castellan.jar")));
        command.addAll(List.of(args));
        return Command.run(command, Map.of("CASTELLAN_SERVER", server.url(), "CASTELLAN_SERVER_FINGERPRINT",
                server.fingerprint(), "CASTELLAN_TOKEN", token, "HOME", System.getProperty("java.io.tmpdir")));
    }

    Command.Result ok(String... args) throws Exception {
        Command.Result result = run(args);
        assertThat(result.exitCode()).as("castellan " + String.join(" ", args) + ": " + result.describe()).isZero();
        return result;
    }

    JsonNode json(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("-o", "json"));
        all.addAll(List.of(args));
        return Json.mapper().readTree(ok(all.toArray(String[]::new)).stdout());
    }

    /** A key file as the README says to make one: the JSON answer of registration-keys create. */
    Path createKeyFile(Path file, int maxUses) throws Exception {
        Command.Result created = ok("-o", "json", "registration-keys", "create", "--name", "packaged",
                "--max-uses", Integer.toString(maxUses), "--expires-in", "1d");
        Files.writeString(file, created.stdout());
        return file;
    }

    static String key(Path keyFile) throws Exception {
        return Json.mapper().readTree(Files.readString(keyFile)).get("key").asText();
    }
}
