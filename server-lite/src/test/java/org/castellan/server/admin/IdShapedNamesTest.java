package org.castellan.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names stand in for ids wherever the CLI takes one ({@code user:ann}), so a name shaped like an
 * id (a UUID) is refused at creation: it could not be told apart from the id of something else.
 */
class IdShapedNamesTest {
    static final String ID_SHAPED = "0b7e4c1a-2f3d-4e5f-8a9b-0c1d2e3f4a5b";

    @TempDir
    static Path dataDir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dataDir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/users", "/api/v1/user-groups", "/api/v1/device-groups", "/api/v1/channels"})
    void aNameShapedLikeAnIdIsRefusedAndNothingIsCreated(String path) throws Exception {
        Map<String, Object> body = path.endsWith("channels")
                ? Map.of("name", ID_SHAPED.toUpperCase(), "type", "webhook", "url", "https://hooks.example/x", "secret", "s3cret-s3cret-s3cret")
                : Map.of("name", ID_SHAPED.toUpperCase());
        TestServer.Reply refused = server.post(path, body);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.error()).isEqualTo("invalid-name");
        assertThat(refused.json().get("message").asText()).contains("shaped like an id");
        assertThat(server.get(path).body()).doesNotContainIgnoringCase(ID_SHAPED);

        Map<String, Object> fine = path.endsWith("channels")
                ? Map.of("name", "x-" + ID_SHAPED, "type", "webhook", "url", "https://hooks.example/x", "secret", "s3cret-s3cret-s3cret")
                : Map.of("name", "x-" + ID_SHAPED);
        assertThat(server.post(path, fine).status()).as("only the exact id shape is refused").isEqualTo(201);
    }

    @ParameterizedTest
    @ValueSource(strings = {"registration-keys", "rules", "tokens"})
    void everyOtherNamedThingRefusesAnIdShapedNameToo(String kind) throws Exception {
        String path = switch (kind) {
            case "tokens" -> "/api/v1/users/" + server.post("/api/v1/users", Map.of("name", "tok-" + System.nanoTime()))
                    .json().get("id").asText() + "/tokens";
            default -> "/api/v1/" + kind;
        };
        Map<String, Object> body = kind.equals("rules")
                ? Map.of("name", ID_SHAPED, "principals", java.util.List.of(), "targets", java.util.List.of("all"),
                        "permissions", java.util.List.of("password.read"))
                : Map.of("name", ID_SHAPED);

        TestServer.Reply refused = server.post(path, body);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.error()).isEqualTo("invalid-name");
        assertThat(refused.json().get("message").asText()).contains("shaped like an id");
        assertThat(server.get(path).body()).doesNotContainIgnoringCase(ID_SHAPED);
    }
}
