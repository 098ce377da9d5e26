package org.castellan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.castellan.cli.testing.CliRunner;
import org.castellan.cli.testing.RealServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against the real server, whose lists answer a page at a time (100 by default) with
 * {@code X-Next-Cursor}: each list command with more items than a page prints every item, once,
 * in table and in JSON; {@code jit revoke} finds a request past the first page.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ListsPastOnePageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ITEMS = 105;

    RealServer server;
    CliRunner admin;
    String deviceId;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        server = RealServer.start(tmp.resolve("data"));
        admin = server.admin(tmp.resolve("home"));
        String key = server.create("/api/v1/registration-keys", Map.of("name", "fleet")).get("key").asText();
        deviceId = server.register(key, "web-001");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    /** {@code command} prints every one of {@code ids}, once, in its table and in its JSON. */
    private void printsEvery(List<String> ids, String... command) throws Exception {
        CliRunner.Result table = admin.run(command);
        assertThat(table.exitCode()).as(table.stderr()).isZero();
        for (String id : ids) {
            assertThat(table.stdout()).as("%s prints %s", String.join(" ", command), id).containsOnlyOnce(id);
        }
        List<String> args = new ArrayList<>(List.of("-o", "json"));
        args.addAll(List.of(command));
        CliRunner.Result json = admin.run(args.toArray(String[]::new));
        assertThat(json.exitCode()).as(json.stderr()).isZero();
        List<String> listed = new ArrayList<>();
        JSON.readTree(json.stdout()).forEach(row -> listed.add(row.get("id").asText()));
        assertThat(listed).as(String.join(" ", command)).doesNotHaveDuplicates().containsAll(ids)
                .hasSizeGreaterThan(100);
    }

    private List<String> create(String path, java.util.function.IntFunction<Map<String, Object>> body) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            ids.add(server.create(path, body.apply(i)).get("id").asText());
        }
        return ids;
    }

    @Test
    void rulesChannelsAndGroupsListEveryItem() throws Exception {
        String user = server.create("/api/v1/users", Map.of("name", "reader")).get("id").asText();
        printsEvery(create("/api/v1/rules", i -> Map.of("name", "rule-" + i, "principals", List.of("user:" + user),
                "targets", List.of("all"), "permissions", List.of("password.read"))), "rules", "list");
        printsEvery(create("/api/v1/channels", i -> Map.of("name", "hook-" + i, "type", "webhook",
                "url", "https://hooks.example.invalid/" + i, "secret", "a-signing-secret-" + i)), "channels", "list");
        printsEvery(create("/api/v1/user-groups", i -> Map.of("name", "team-" + i, "members", List.of())),
                "groups", "list");
        printsEvery(create("/api/v1/device-groups", i -> Map.of("name", "dg-" + i, "devices", List.of(deviceId))),
                "device-groups", "list");
    }

    @Test
    void registrationKeysListEveryKey() throws Exception {
        printsEvery(create("/api/v1/registration-keys", i -> Map.of("name", "key-" + i)), "registration-keys", "list");
    }

    @Test
    void jitListShowsEveryRequestAndRevokeFindsOnePastTheFirstPage() throws Exception {
        List<String> grants = create("/api/v1/devices/" + deviceId + "/jit", i -> Map.of("user", "u" + i, "minutes", 60));
        printsEvery(grants, "jit", "list");
        printsEvery(grants, "jit", "list", "web-001");
        // The list is newest first: the first request made is on the last page.
        String oldest = grants.get(0);
        CliRunner.Result revoked = admin.run("-o", "json", "jit", "revoke", oldest);
        assertThat(revoked.exitCode()).as(revoked.stderr()).isZero();
        JsonNode answer = JSON.readTree(revoked.stdout());
        assertThat(answer.get("id").asText()).isEqualTo(oldest);
        assertThat(answer.get("status").asText()).isEqualTo("revoked");
    }
}
