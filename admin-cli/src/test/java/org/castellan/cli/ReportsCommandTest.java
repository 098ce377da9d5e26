package org.castellan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.castellan.cli.testing.CliRunner;
import org.castellan.cli.testing.MovableClock;
import org.castellan.cli.testing.RealServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code castellan reports ...} against the real server over HTTPS: four devices enrolled, then
 * 40 days pass on the server's clock; one checks in again, and the rotation and volume facts the
 * other reports read are written into the server's SQLite file. Each verb lists exactly its
 * devices, as a table and as the server's JSON, pages with the API's cursor, refuses bad
 * arguments before sending anything, and shows a non-admin only the devices its rules reach.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportsCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MovableClock clock = new MovableClock();
    Path tmp;
    RealServer server;
    CliRunner admin;
    String old1;
    String old2;
    String fresh;
    String overdue;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        this.tmp = tmp;
        Path data = tmp.resolve("data");
        server = RealServer.start(data, clock);
        admin = server.admin(tmp.resolve("home"));
        String key = json(admin.run("-o", "json", "registration-keys", "create", "--name", "reports")).get("key").asText();
        old1 = server.register(key, "rp-old-1");
        old2 = server.register(key, "rp-old-2");
        fresh = server.register(key, "rp-fresh");
        overdue = server.register(key, "rp-overdue");
        clock.advance(Duration.ofDays(40));
        long now = clock.instant().toEpochMilli();
        long day = Duration.ofDays(1).toMillis();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("castellan.db"))) {
            c.createStatement().execute("PRAGMA busy_timeout = 10000");
            try (PreparedStatement seen = c.prepareStatement("UPDATE devices SET last_seen_at = ? WHERE id = ?")) {
                seen.setLong(1, now - day);
                seen.setString(2, fresh);
                seen.executeUpdate();
                seen.setLong(1, now - day);
                seen.setString(2, overdue);
                seen.executeUpdate();
            }
            try (PreparedStatement r = c.prepareStatement("INSERT INTO rotations (id, device_id, account, state,"
                    + " vault_key_id, envelope, escrowed_at, committed_at, aborted_at, expires_at, read_at, detail)"
                    + " VALUES (?, ?, 'root', ?, 'k', '{}', ?, ?, ?, ?, ?, ?)")) {
                // rp-overdue: its password expired two days ago, read yesterday, never rotated since.
                rotation(r, "c-overdue", overdue, "committed", now - 32 * day, now - 32 * day, null, now - 2 * day,
                        now - day, null);
                // rp-old-2: the latest attempt failed an hour ago.
                rotation(r, "a-old-2", old2, "aborted", now - 3_600_000, null, now - 3_600_000, null, null,
                        "chpasswd exited 1");
            }
            try (PreparedStatement u = c.prepareStatement("INSERT INTO recovery_unprotected_volumes (device_id, volumes,"
                    + " reported_at) VALUES (?, ?, ?)")) {
                u.setString(1, fresh);
                u.setString(2, "[\"C:\"]");
                u.setLong(3, now - day);
                u.executeUpdate();
                u.setString(1, old1);
                u.setString(2, "[]");
                u.setLong(3, now - day);
                u.executeUpdate();
            }
        }
    }

    private static void rotation(PreparedStatement r, String id, String device, String state, long escrowed,
                                 Long committed, Long aborted, Long expires, Long read, String detail) throws Exception {
        r.setString(1, id);
        r.setString(2, device);
        r.setString(3, state);
        r.setLong(4, escrowed);
        r.setObject(5, committed);
        r.setObject(6, aborted);
        r.setObject(7, expires);
        r.setObject(8, read);
        r.setString(9, detail);
        r.executeUpdate();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void staleListsTheDevicesSilentForMoreThanNDaysAsATableAndAsJson() {
        String table = ok(admin.run("reports", "stale", "--days", "30")).stdout();
        assertThat(table.lines().findFirst().orElseThrow()).contains("HOSTNAME").contains("LAST CONTACT");
        assertThat(table).contains("rp-old-1").contains("rp-old-2").doesNotContain("rp-fresh").doesNotContain("rp-overdue");
        assertThat(hostnames(json(admin.run("-o", "json", "reports", "stale", "--days", "30"))))
                .containsExactlyInAnyOrder("rp-old-1", "rp-old-2");
        assertThat(hostnames(json(admin.run("-o", "json", "reports", "stale")))).as("the server's default, 30 days")
                .containsExactlyInAnyOrder("rp-old-1", "rp-old-2");
        assertThat(hostnames(json(admin.run("-o", "json", "reports", "stale", "--days", "41")))).isEmpty();
    }

    @Test
    void overdueReadNotRotatedFailingAndMissingRecoveryKeysEachListTheirDevice() {
        JsonNode overdueRows = json(admin.run("-o", "json", "reports", "overdue"));
        assertThat(hostnames(overdueRows)).containsExactly("rp-overdue");
        assertThat(overdueRows.get(0).get("detail").asText()).isEqualTo("root");
        assertThat(ok(admin.run("reports", "overdue")).stdout()).contains("EXPIRED").contains("ACCOUNT").contains("rp-overdue");

        assertThat(hostnames(json(admin.run("-o", "json", "reports", "read-not-rotated")))).containsExactly("rp-overdue");
        assertThat(ok(admin.run("reports", "read-not-rotated")).stdout()).contains("FIRST READ").contains("rp-overdue");

        JsonNode failing = json(admin.run("-o", "json", "reports", "failing"));
        assertThat(hostnames(failing)).containsExactly("rp-old-2");
        assertThat(ok(admin.run("reports", "failing", "--days", "1")).stdout()).contains("PROBLEM")
                .contains("chpasswd exited 1");

        JsonNode missing = json(admin.run("-o", "json", "reports", "missing-recovery-keys"));
        assertThat(hostnames(missing)).as("a device reporting no unprotected volume is not listed")
                .containsExactly("rp-fresh");
        assertThat(ok(admin.run("-o", "wide", "reports", "missing-recovery-keys")).stdout()).contains(fresh)
                .contains("VOLUMES").contains("C:");
    }

    @Test
    void versionsCountTheDevicesPerAgentAndOsVersion() {
        JsonNode both = json(admin.run("-o", "json", "reports", "versions"));
        assertThat(both.get("agentVersions")).singleElement().satisfies(t -> assertThat(t.get("value").asText() + " "
                + t.get("devices").asLong()).isEqualTo("0.1.0 4"));
        assertThat(both.get("osVersions")).singleElement().satisfies(t -> assertThat(t.get("value").asText() + " "
                + t.get("detail").asText() + " " + t.get("devices").asLong()).isEqualTo("linux Debian 12 4"));
        String table = ok(admin.run("reports", "versions")).stdout();
        assertThat(table).containsPattern("agent +0\\.1\\.0 +4").containsPattern("os +linux Debian 12 +4");
        assertThat(json(admin.run("-o", "json", "reports", "versions", "--os")).has("agentVersions")).isFalse();
    }

    @Test
    void onePageByDefaultWithTheCursorOfTheNextAndAllPagesWithAll() {
        CliRunner.Result first = ok(admin.run("reports", "stale", "--limit", "1"));
        assertThat(first.stdout()).contains("rp-old-").satisfies(s -> assertThat(s.lines().count()).isEqualTo(2));
        assertThat(first.stderr()).contains("more devices exist: add --all, or --after ");
        String cursor = first.stderr().replaceAll("(?s).*--after (\\S+) for the next page.*", "$1");
        JsonNode second = json(admin.run("-o", "json", "reports", "stale", "--limit", "1", "--after", cursor));
        assertThat(second).hasSize(1);
        assertThat(first.stdout()).doesNotContain(second.get(0).get("hostname").asText());
        assertThat(hostnames(json(admin.run("-o", "json", "reports", "stale", "--limit", "1", "--all"))))
                .containsExactlyInAnyOrder("rp-old-1", "rp-old-2");
    }

    @Test
    void badArgumentsAreRefusedBeforeAnythingIsSent() {
        for (String[] args : List.of(new String[] {"reports", "stale", "--days", "0"},
                new String[] {"reports", "failing", "--days", "3651"}, new String[] {"reports", "overdue", "--limit", "0"},
                new String[] {"reports", "versions", "--agent", "--os"}, new String[] {"reports", "overdue", "--days", "3"})) {
            CliRunner.Result result = admin.run(args);
            assertThat(result.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(result.stdout()).isEmpty();
        }
        assertThat(admin.run("reports", "stale", "--after", "not-a-cursor").stderr()).contains("'after' must be");
        assertThat(admin.run("reports").exitCode()).as("no subcommand").isEqualTo(2);
    }

    @Test
    void aNonAdminSeesOnlyTheDevicesItsRulesReachInEveryReport() {
        String hal = ok(admin.run("users", "create", "hal", "--no-password")).stdout().strip();
        String token = ok(admin.run("tokens", "create", "--user", hal, "--name", "cli")).stdout().strip();
        ok(admin.run("rules", "create", "hal-reads", "--principal", "user:hal", "--target", "device:rp-old-1",
                "--permission", "password.read"));
        CliRunner asHal = server.as(tmp.resolve("hal"), token);
        assertThat(hostnames(json(asHal.run("-o", "json", "reports", "stale")))).containsExactly("rp-old-1");
        for (String report : List.of("overdue", "read-not-rotated", "failing", "missing-recovery-keys")) {
            CliRunner.Result text = ok(asHal.run("reports", report));
            assertThat(text.stdout()).as(report).doesNotContain("rp-");
            assertThat(hostnames(json(asHal.run("-o", "json", "reports", report)))).as(report).isEmpty();
        }
        JsonNode versions = json(asHal.run("-o", "json", "reports", "versions"));
        assertThat(versions.at("/agentVersions/0/devices").asLong()).isEqualTo(1);
        assertThat(versions.at("/osVersions/0/devices").asLong()).isEqualTo(1);
    }

    private static List<String> hostnames(JsonNode rows) {
        List<String> out = new ArrayList<>();
        rows.forEach(r -> out.add(r.get("hostname").asText()));
        return out;
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
}
