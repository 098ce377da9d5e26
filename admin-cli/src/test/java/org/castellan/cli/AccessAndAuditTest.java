package org.castellan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.castellan.cli.testing.CliRunner;
import org.castellan.cli.testing.Fixtures;
import org.castellan.cli.testing.RecordingHttpsServer;
import org.castellan.cli.testing.ServerTestBase;
import org.junit.jupiter.api.Test;

/** access (hostname resolution, text and json) and audit (filters, paging). */
class AccessAndAuditTest extends ServerTestBase {
    private static final String DEVICE_ID = "5f0c7a9e-1d2b-4c3d-9e8f-0a1b2c3d4e5f";
    private static final String ACCESS = q("{'principal':'user:u-1','device':'" + DEVICE_ID + "',"
            + "'permissions':['password.read','password.history'],'rules':[{'id':'r-1','name':'helpdesk',"
            + "'permissions':['password.read']},{'id':'r-2','name':'history','permissions':['password.history']}],"
            + "'requireReason':true,'rotateAfterReadMinutes':60}");

    private static String entry(String at, String action, String outcome) {
        return q("{'id':1,'at':'" + at + "','principal':'user:11111111-0000-4000-8000-000000000001','action':'" + action + "','outcome':'" + outcome
                + "','deviceId':'" + DEVICE_ID + "','reason':'ticket 42','clientAddress':'10.0.0.5','detail':null}");
    }

    @Test
    void accessResolvesAHostnameAndAsksForThePrincipalAndDeviceId() {
        server.respond("GET", "/api/v1/devices", 200, "[" + Fixtures.device(DEVICE_ID, "web01") + "]");
        server.respond("GET", "/api/v1/access", 200, ACCESS);

        CliRunner.Result result = cli.run("access", "--principal", "user:11111111-0000-4000-8000-000000000001", "--device", "WEB01");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(server.lastRequest("GET", "/api/v1/devices").query()).containsEntry("hostname", "WEB01");
        assertThat(server.lastRequest("GET", "/api/v1/access").query())
                .containsExactly(Map.entry("principal", "user:11111111-0000-4000-8000-000000000001"), Map.entry("device", DEVICE_ID));
        assertThat(result.stdout().lines()).containsExactly(
                "principal:          user:11111111-0000-4000-8000-000000000001",
                "device:             web01 (device " + DEVICE_ID + ")",
                "permissions:        password.read, password.history",
                "require reason:     yes",
                "rotate after read:  60m",
                "",
                "RULE  NAME      PERMISSIONS",
                "r-1   helpdesk  password.read",
                "r-2   history   password.history");
    }

    @Test
    void accessTakesADeviceIdAsIsAndPrintsJson() {
        server.respond("GET", "/api/v1/access", 200, ACCESS);

        CliRunner.Result result = cli.run("access", "--principal", "user-group:22222222-0000-4000-8000-000000000001", "--device", DEVICE_ID, "-o", "json");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(server.requests()).extracting(RecordingHttpsServer.Recorded::path).containsExactly("/api/v1/access");
        assertThat(parsed(result.stdout())).isEqualTo(parsed(ACCESS));
    }

    @Test
    void accessForAnUnknownHostnameAsksNothingFurther() {
        server.respond("GET", "/api/v1/devices", 200, "[]");

        CliRunner.Result result = cli.run("access", "--principal", "user:11111111-0000-4000-8000-000000000001", "--device", "nosuch");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).isEqualTo("castellan: no device named nosuch" + NL);
        assertThat(server.requests()).noneMatch(r -> r.path().equals("/api/v1/access"));
    }

    @Test
    void accessRefusesABadPrincipal() {
        CliRunner.Result result = cli.run("access", "--principal", "u-1", "--device", DEVICE_ID);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void auditSendsEveryFilterWithRelativeSinceAsAnInstant() {
        server.respond("GET", "/api/v1/devices", 200, "[" + Fixtures.device(DEVICE_ID, "web01") + "]");
        server.respond("GET", "/api/v1/audit", 200, "[]");

        CliRunner.Result result = cli.run("audit", "--device", "web01", "--principal", "user:11111111-0000-4000-8000-000000000001", "--action",
                "password.reveal", "--outcome", "denied", "--since", "7d", "--until", "2026-11-22T09:00:00Z", "--limit", "50");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(server.lastRequest("GET", "/api/v1/audit").query()).containsExactly(
                Map.entry("device", DEVICE_ID), Map.entry("principal", "user:11111111-0000-4000-8000-000000000001"), Map.entry("action", "password.reveal"),
                Map.entry("outcome", "denied"), Map.entry("since", "2026-11-15T10:00:00Z"),
                Map.entry("until", "2026-11-22T09:00:00Z"), Map.entry("limit", "50"));
    }

    @Test
    void accessTakesAUserByNameAndSendsItsId() {
        server.respond("GET", "/api/v1/users", 200, q("[{'id':'11111111-0000-4000-8000-000000000001','name':'ann'},"
                + "{'id':'11111111-0000-4000-8000-000000000002','name':'bob'}]"));
        server.respond("GET", "/api/v1/access", 200, ACCESS);

        CliRunner.Result result = cli.run("access", "--principal", "user:ann", "--device", DEVICE_ID);

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(server.lastRequest("GET", "/api/v1/access").query())
                .containsEntry("principal", "user:11111111-0000-4000-8000-000000000001");
        assertThat(result.stdout()).contains("user:ann (11111111-0000-4000-8000-000000000001)");
    }

    @Test
    void anAmbiguousGroupNameListsTheCandidatesAndAnUnknownOneSuggestsCloseNames() {
        server.respond("GET", "/api/v1/user-groups", 200, q("[{'id':'22222222-0000-4000-8000-000000000001','name':'help-desk'},"
                + "{'id':'22222222-0000-4000-8000-000000000002','name':'help-desk'}]"));

        CliRunner.Result twice = cli.run("access", "--principal", "user-group:help-desk", "--device", DEVICE_ID);
        assertThat(twice.exitCode()).isEqualTo(1);
        assertThat(twice.stderr()).contains("2 user groups are named help-desk; give the id of one: "
                + "22222222-0000-4000-8000-000000000001, 22222222-0000-4000-8000-000000000002");

        CliRunner.Result typo = cli.run("access", "--principal", "user-group:helpdesk", "--device", DEVICE_ID);
        assertThat(typo.stderr()).contains("no user group named helpdesk; did you mean help-desk?");
        assertThat(server.requests()).noneMatch(r -> r.path().equals("/api/v1/access"));
    }

    @Test
    void auditPrintsTheColumnsAndNotesThatMorePagesExist() {
        server.respond("GET", "/api/v1/audit", Map.of(), 200, "[" + entry("2026-11-22T09:59:00Z", "password.reveal", "granted")
                + "]", Map.of("X-Next-Cursor", "cur-2"));

        server.respond("GET", "/api/v1/users", 200, q("[{'id':'11111111-0000-4000-8000-000000000001','name':'ann'}]"));

        CliRunner.Result result = cli.run("audit");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(server.requests()).filteredOn(r -> r.path().equals("/api/v1/audit")).hasSize(1);
        assertThat(result.stdout().lines()).as("the principal by name, not id").containsExactly(
                "TIME                 PRINCIPAL  ACTION           OUTCOME  DEVICE     REASON",
                "2026-11-22 09:59:00  user:ann   password.reveal  granted  5f0c7a9e…  ticket 42");
        String wide = cli.run("audit", "-o", "wide").stdout();
        assertThat(wide).as("-o wide: every column, whole ids, names beside them")
                .containsPattern("TIME +PRINCIPAL +ACTION +OUTCOME +DEVICE +HOSTNAME +REASON +CLIENT")
                .containsPattern("2026-11-22T09:59:00Z +user:ann \\(11111111-0000-4000-8000-000000000001\\) +password.reveal +granted +"
                        + DEVICE_ID + " +- +ticket 42 +10.0.0.5");
        assertThat(result.stderr()).contains("--all").contains("--after cur-2");
    }

    @Test
    void auditAllFollowsEveryCursorWithTheSameFilters() {
        server.respond("GET", "/api/v1/audit", Map.of(), 200, "[" + entry("2026-11-22T09:59:00Z", "password.reveal", "granted")
                + "]", Map.of("X-Next-Cursor", "cur-2"));
        server.respond("GET", "/api/v1/audit", Map.of("after", "cur-2"), 200, "[" + entry("2026-11-22T09:00:00Z",
                "password.reveal", "denied") + "]", Map.of("X-Next-Cursor", "cur-3"));
        server.respond("GET", "/api/v1/audit", Map.of("after", "cur-3"), 200, "[" + entry("2026-11-21T09:00:00Z",
                "device.register", "granted") + "]", Map.of());

        CliRunner.Result result = cli.run("audit", "--all", "--action", "password.reveal", "-o", "json");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(server.requests()).extracting(RecordingHttpsServer.Recorded::rawQuery).containsExactly(
                "action=password.reveal", "action=password.reveal&after=cur-2", "action=password.reveal&after=cur-3");
        assertThat(parsed(result.stdout())).hasSize(3);
        assertThat(result.stderr()).isEmpty();
    }

    @Test
    void auditRefusesAnUnreadableSinceAndALimitOutOfRange() {
        CliRunner.Result since = cli.run("audit", "--since", "yesterday");
        CliRunner.Result limit = cli.run("audit", "--limit", "5000");

        assertThat(since.exitCode()).isEqualTo(2);
        assertThat(since.stderr()).contains("--since: 'yesterday'");
        assertThat(limit.exitCode()).isEqualTo(2);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void auditForbiddenToANonAdminIsAFormattedError() {
        server.respond("GET", "/api/v1/audit", 403, q("{'error':'forbidden','message':'only admins may read the audit log'}"));

        CliRunner.Result result = cli.run("audit");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).isEqualTo("castellan: read audit log: only admins may read the audit log"
                + " (forbidden, HTTP 403)" + NL);
    }
}
