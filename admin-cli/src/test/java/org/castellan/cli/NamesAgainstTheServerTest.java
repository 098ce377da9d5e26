package org.castellan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.castellan.cli.testing.CliRunner;
import org.castellan.cli.testing.RealServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names wherever ids are taken, names beside ids in what is printed, and host-name suggestions,
 * against the real server over HTTPS (one server for the class; each test makes its own names).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NamesAgainstTheServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    Path tmp;

    RealServer server;
    CliRunner admin;
    String key;
    String wsId;
    String srvId;
    /** A device past the first page of the devices list (the largest id of more than 100). */
    String farHostname;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        this.tmp = tmp;
        server = RealServer.start(tmp.resolve("data"));
        admin = server.admin(tmp.resolve("home"));
        key = json(admin.run("-o", "json", "registration-keys", "create", "--name", "fleet")).get("key").asText();
        wsId = server.register(key, "ws-001");
        srvId = server.register(key, "srv-001");
        // More than one page of devices (the list's default page is 100), enrolled a few at a time.
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<String>> enrolled = new ArrayList<>();
            for (int i = 0; i < 105; i++) {
                String hostname = "fill-" + letters(10);
                enrolled.add(pool.submit(() -> server.register(key, hostname)));
            }
            for (java.util.concurrent.Future<String> f : enrolled) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        List<JsonNode> all = new ArrayList<>();
        json(ok(admin.run("-o", "json", "devices", "list"))).forEach(all::add);
        assertThat(all).hasSizeGreaterThan(100);
        farHostname = all.stream().max(Comparator.comparing(d -> d.get("id").asText())).orElseThrow().get("hostname").asText();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void usersGroupsDeviceGroupsRulesAndTokensAreShownChangedAndDeletedByName() {
        String carol = ok(admin.run("users", "create", "carol", "--no-password")).stdout().strip();
        assertThat(ok(admin.run("users", "show", "carol")).stdout()).contains(carol);
        assertThat(ok(admin.run("users", "disable", "carol")).stdout()).contains("disabled user carol (id " + carol + ")");
        assertThat(json(admin.run("-o", "json", "users", "show", "carol")).hasNonNull("disabledAt")).isTrue();
        ok(admin.run("users", "enable", "carol"));
        assertThat(json(admin.run("-o", "json", "users", "show", carol)).hasNonNull("disabledAt")).isFalse();

        String ops = ok(admin.run("groups", "create", "ops", "--member", "carol")).stdout().strip();
        assertThat(ok(admin.run("groups", "show", "ops")).stdout()).as("members' names beside their ids")
                .containsPattern("members:\\s+carol \\(" + carol + "\\)");
        String lab = ok(admin.run("device-groups", "create", "lab", "--device", "ws-001")).stdout().strip();
        assertThat(ok(admin.run("device-groups", "show", "lab")).stdout()).containsPattern("memberCount:\\s+1");
        assertThat(ok(admin.run("device-groups", "members", "lab")).stdout()).contains("ws-001").contains(wsId);
        ok(admin.run("device-groups", "update", "lab", "--device", "srv-001"));
        assertThat(json(admin.run("-o", "json", "device-groups", "members", lab)).toString()).contains(srvId)
                .doesNotContain(wsId);

        ok(admin.run("rules", "create", "lab-read", "--principal", "user-group:ops", "--target", "device-group:lab",
                "--permission", "password.read"));
        assertThat(ok(admin.run("rules", "show", "lab-read")).stdout())
                .contains("user-group:ops (" + ops + ")").contains("device-group:lab (" + lab + ")");
        assertThat(json(admin.run("-o", "json", "rules", "show", "lab-read")).get("principals").toString())
                .as("rules keep the ids").contains("user-group:" + ops).doesNotContain("user-group:ops");

        String token = ok(admin.run("tokens", "create", "--user", "carol", "--name", "laptop")).stdout().strip();
        admin.secret(token);
        assertThat(ok(admin.run("tokens", "list", "--user", "carol")).stdout()).contains("laptop");
        assertThat(ok(admin.run("tokens", "revoke", "laptop", "--user", "carol")).stdout()).contains("revoked token laptop (id ");
        assertThat(json(admin.run("-o", "json", "tokens", "list", "--user", "carol")).get(0).hasNonNull("revokedAt")).isTrue();
        CliRunner.Result noUser = admin.run("tokens", "revoke", "laptop");
        assertThat(noUser.exitCode()).isEqualTo(2);
        assertThat(noUser.stderr()).contains("--user NAME");

        assertThat(ok(admin.run("rules", "delete", "lab-read")).stdout()).contains("deleted rule lab-read (id ");
        assertThat(ok(admin.run("groups", "delete", "ops")).stdout()).contains("deleted user group ops (id " + ops + ")");
        assertThat(ok(admin.run("device-groups", "delete", "lab")).stdout()).contains("deleted device group lab (id " + lab + ")");
        CliRunner.Result gone = admin.run("groups", "show", "ops");
        assertThat(gone.exitCode()).isEqualTo(1);
        assertThat(gone.stderr()).contains("no user group named ops");
    }

    @Test
    void anAmbiguousNameIsAnErrorListingTheCandidates() {
        String first = json(admin.run("-o", "json", "registration-keys", "create", "--name", "twice")).get("id").asText();
        String second = json(admin.run("-o", "json", "registration-keys", "create", "--name", "twice")).get("id").asText();

        CliRunner.Result result = admin.run("registration-keys", "revoke", "twice");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("2 registration keys are named twice").contains(first).contains(second);
        assertThat(ok(admin.run("registration-keys", "revoke", first)).stdout()).contains("revoked registration key " + first);
    }

    @Test
    void aNameShapedLikeAnIdIsRefusedAtCreationForEveryResource() {
        String uuid = UUID.randomUUID().toString();
        ok(admin.run("users", "create", "dave", "--no-password"));
        List<CliRunner.Result> refused = List.of(
                admin.run("users", "create", uuid, "--no-password"),
                admin.run("groups", "create", uuid),
                admin.run("device-groups", "create", uuid, "--match-hostname", "x*"),
                admin.run("rules", "create", uuid, "--principal", "user:dave", "--target", "all", "--permission", "password.read"),
                admin.run("registration-keys", "create", "--name", uuid),
                admin.run("tokens", "create", "--user", "dave", "--name", uuid),
                admin.stdin("whsec-0123456789abcdef0123\n").run("channels", "create", uuid, "--url",
                        "https://hooks.example.org/castellan", "--secret-stdin"));
        admin.stdin("");
        for (CliRunner.Result result : refused) {
            assertThat(result.exitCode()).as(result.stderr()).isEqualTo(1);
            assertThat(result.stderr()).contains("shaped like an id");
        }
    }

    @Test
    void deviceStateCommandsTakeTheHostName() throws Exception {
        String approvalKey = json(admin.run("-o", "json", "registration-keys", "create", "--name", "approved",
                "--require-approval")).get("key").asText();
        String pending = server.register(approvalKey, "pend-01");
        String state = server.register(key, "state-01");

        assertThat(ok(admin.run("devices", "approve", "pend-01")).stdout()).contains("approved pend-01 (device " + pending + ")");
        assertThat(ok(admin.run("devices", "disable", "state-01")).stdout()).contains("disabled state-01 (device " + state + ")");
        assertThat(json(admin.run("-o", "json", "devices", "show", "state-01")).get("status").asText()).isEqualTo("disabled");
        assertThat(ok(admin.run("devices", "enable", "state-01")).stdout()).contains("enabled state-01");
        assertThat(ok(admin.run("devices", "delete", "state-01", "--yes")).stdout()).contains("deleted state-01 (device " + state + ")");
        assertThat(ok(admin.run("devices", "purge", "state-01", "--reason", "disk shredded", "--yes")).stdout())
                .contains("purged state-01 (device " + state + ")");
        assertThat(json(admin.run("-o", "json", "devices", "list", "--deleted")).toString()).doesNotContain(state);
    }

    @Test
    void theAuditTableShowsHostNamesAndFitsOneHundredColumns() throws Exception {
        String longReason = "retired after the flood in the basement server room; ticket 4711 has the photos and the"
                + " insurance claim number; disks shredded on site by the vendor with certificate";
        String id = server.register(key, "audit-01");
        ok(admin.run("password", "rotate", "ws-001"));
        ok(admin.run("devices", "delete", "audit-01", "--yes"));

        String narrow = ok(admin.run("audit", "--limit", "200")).stdout();
        assertThat(narrow.lines()).allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(100));
        assertThat(narrow).containsPattern("device\\.rotate-\\S*\\s+granted\\s+ws-001").contains("audit-01")
                .doesNotContain(wsId);

        ok(admin.run("devices", "purge", id, "--reason", longReason, "--yes"));
        String cut = ok(admin.run("audit", "--action", "device.purge")).stdout();
        assertThat(cut.lines()).allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(100));
        assertThat(cut).contains("…").doesNotContain(longReason);
        String wide = ok(admin.run("audit", "--action", "device.purge", "-o", "wide")).stdout();
        assertThat(wide).contains(longReason).contains(id);
        String rotations = ok(admin.run("audit", "--device", "ws-001", "-o", "wide")).stdout();
        assertThat(rotations).contains(wsId).contains("ws-001");
    }

    @Test
    void accessPrintsNamesBesideIdsGivenAsIds() {
        String erin = ok(admin.run("users", "create", "frank", "--no-password")).stdout().strip();

        String out = ok(admin.run("access", "--principal", "user:" + erin, "--device", wsId)).stdout();

        assertThat(out).containsPattern("principal:\\s+user:frank \\(" + erin + "\\)")
                .containsPattern("device:\\s+ws-001 \\(device " + wsId + "\\)");
    }

    @Test
    void aHostNameTypoSuggestsDevicesBeyondTheFirstPage() {
        char[] typo = farHostname.toCharArray();
        int at = 5;
        while (typo[at] == typo[at + 1]) {
            at++;
        }
        char swap = typo[at];
        typo[at] = typo[at + 1];
        typo[at + 1] = swap;

        CliRunner.Result result = admin.run("password", "get", new String(typo), "--reason", "typo");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("no device named " + new String(typo)).contains("did you mean " + farHostname);
    }

    @Test
    void aNonAdminIsNeverOfferedDevicesOutsideItsRules() {
        String gina = ok(admin.run("users", "create", "gina", "--no-password")).stdout().strip();
        String token = ok(admin.run("tokens", "create", "--user", gina, "--name", "cli")).stdout().strip();
        ok(admin.run("device-groups", "create", "gina-ws", "--device", "ws-001"));
        ok(admin.run("rules", "create", "gina-reads", "--principal", "user:gina", "--target", "device-group:gina-ws",
                "--permission", "password.read"));
        CliRunner asGina = server.as(tmp.resolve("gina"), token);

        CliRunner.Result visible = asGina.run("password", "get", "ws-01", "--reason", "typo");
        assertThat(visible.stderr()).contains("did you mean ws-001?");
        CliRunner.Result hidden = asGina.run("password", "get", "srv-01", "--reason", "typo");
        assertThat(hidden.exitCode()).isEqualTo(1);
        assertThat(hidden.stderr()).contains("no device named srv-01").doesNotContain("srv-001").doesNotContain("did you mean");
        assertThat(admin.run("password", "get", "srv-01", "--reason", "typo").stderr())
                .as("the same typo by an admin, who may see it").contains("did you mean srv-001?");
    }

    private static CliRunner.Result ok(CliRunner.Result result) {
        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isZero();
        return result;
    }

    private static JsonNode json(CliRunner.Result result) {
        try {
            return JSON.readTree(ok(result).stdout());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String letters(int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append((char) ('a' + RANDOM.nextInt(26)));
        }
        return s.toString();
    }
}
