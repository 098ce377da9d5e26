package org.castellan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.castellan.cli.testing.CliRunner;
import org.castellan.cli.testing.RealServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code device-groups members} and {@code device-groups update --add/--remove} against the real
 * server over HTTPS: a group's devices read page by page, and changed a batch at a time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeviceGroupMembersAgainstTheServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NEXT = Pattern.compile("--after (\\S+) for the next page");

    RealServer server;
    CliRunner admin;
    final List<String> webIds = new ArrayList<>();
    String db1;
    String db2;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        server = RealServer.start(tmp.resolve("data"));
        admin = server.admin(tmp.resolve("home"));
        String key = json(admin.run("-o", "json", "registration-keys", "create", "--name", "fleet")).get("key").asText();
        for (int i = 0; i < 5; i++) {
            webIds.add(server.register(key, "web-" + i));
        }
        db1 = server.register(key, "db-1");
        db2 = server.register(key, "db-2");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void membersAreReadPageByPageFollowingTheCursorAndAllAtOnceByDefault() {
        ok(admin.run("device-groups", "create", "paged", "--device", "db-1", "--match-hostname", "web-*"));
        List<String> expected = new ArrayList<>(webIds);
        expected.add(db1);
        expected.sort(null);

        JsonNode all = json(admin.run("-o", "json", "device-groups", "members", "paged"));
        assertThat(ids(all)).as("every page followed").containsExactlyElementsOf(expected);
        assertThat(ok(admin.run("device-groups", "members", "paged")).stdout()).contains("db-1").contains("listed")
                .contains("web-3").contains("matching");

        List<String> walked = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages < 20; pages++) {
            List<String> args = new ArrayList<>(List.of("-o", "json", "device-groups", "members", "paged", "--limit", "2"));
            if (after != null) {
                args.addAll(List.of("--after", after));
            }
            CliRunner.Result page = ok(admin.run(args.toArray(String[]::new)));
            JsonNode rows = parse(page.stdout());
            assertThat(rows.size()).isLessThanOrEqualTo(2);
            walked.addAll(ids(rows));
            Matcher next = NEXT.matcher(page.stderr());
            if (!next.find()) {
                break;
            }
            after = next.group(1);
        }
        assertThat(walked).as("pages of 2, each after the cursor the one before printed")
                .containsExactlyElementsOf(expected);

        CliRunner.Result badLimit = admin.run("device-groups", "members", "paged", "--limit", "1001");
        assertThat(badLimit.exitCode()).isEqualTo(2);
        CliRunner.Result badCursor = admin.run("device-groups", "members", "paged", "--after", "nonsense!");
        assertThat(badCursor.exitCode()).isNotZero();
        assertThat(badCursor.stderr()).contains("after");
    }

    @Test
    void updateAddsAndRemovesByNameAndAnUnknownDeviceChangesNothing() {
        String group = ok(admin.run("device-groups", "create", "edited", "--device", "db-1")).stdout().strip();

        CliRunner.Result changed = ok(admin.run("device-groups", "update", "edited", "--add", "db-2", "--add", "web-0",
                "--remove", "db-1"));
        assertThat(changed.stdout()).containsPattern("added:\\s+2").containsPattern("removed:\\s+1");
        assertThat(ids(json(admin.run("-o", "json", "device-groups", "members", group))))
                .containsExactlyInAnyOrder(db2, webIds.get(0));
        assertThat(json(admin.run("-o", "json", "device-groups", "show", "edited")).get("memberCount").asLong())
                .isEqualTo(2);

        CliRunner.Result unknown = admin.run("device-groups", "update", "edited", "--add", "web-1", "--add", "nosuch-9");
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.stderr()).contains("nosuch-9");
        assertThat(ids(json(admin.run("-o", "json", "device-groups", "members", group))))
                .as("nothing half-written").containsExactlyInAnyOrder(db2, webIds.get(0));

        // Renaming keeps the members: the CLI no longer PUTs a list it did not read.
        ok(admin.run("device-groups", "update", "edited", "--name", "renamed"));
        assertThat(json(admin.run("-o", "json", "device-groups", "show", "renamed")).get("memberCount").asLong())
                .isEqualTo(2);
    }

    private static List<String> ids(JsonNode rows) {
        List<String> out = new ArrayList<>();
        rows.forEach(r -> out.add(r.get("id").asText()));
        return out;
    }

    private static CliRunner.Result ok(CliRunner.Result result) {
        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isZero();
        return result;
    }

    private static JsonNode json(CliRunner.Result result) {
        return parse(ok(result).stdout());
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
