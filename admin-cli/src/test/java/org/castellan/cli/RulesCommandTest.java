package org.castellan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.castellan.cli.testing.CliRunner;
import org.castellan.cli.testing.ServerTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** rules: create (every field), list, show, delete. */
class RulesCommandTest extends ServerTestBase {
    private static final String RULE = q("{'id':'r-1','name':'helpdesk','principals':['user-group:g-1'],"
            + "'targets':['device-group:dg-1','device:d-2'],'permissions':['password.read','device.rotate'],"
            + "'requireReason':true,'rotateAfterReadMinutes':60,'channels':['c-1'],'expiresAt':null}");

    @Test
    void createTakesNamesAndSendsIdsAndListPrintsTheNames() {
        server.respond("GET", "/api/v1/user-groups", 200, q("[{'id':'22222222-0000-4000-8000-000000000001','name':'help-desk'}]"));
        server.respond("GET", "/api/v1/users", 200, q("[{'id':'11111111-0000-4000-8000-000000000007','name':'ann'}]"));
        server.respond("GET", "/api/v1/device-groups", 200, q("[{'id':'33333333-0000-4000-8000-000000000001','name':'workstations'}]"));
        server.respond("GET", "/api/v1/channels", 200, q("[{'id':'55555555-0000-4000-8000-000000000001','name':'security-feed'}]"));
        server.respond("GET", "/api/v1/devices", 200, "[" + org.castellan.cli.testing.Fixtures.device(
                "44444444-0000-4000-8000-000000000002", "ws-0042") + "]");
        server.respond("GET", "/api/v1/devices/44444444-0000-4000-8000-000000000002", 200, org.castellan.cli.testing.Fixtures.device(
                "44444444-0000-4000-8000-000000000002", "ws-0042"));
        server.respond("POST", "/api/v1/rules", 201, RULE);

        CliRunner.Result result = cli.run("rules", "create", "helpdesk", "--principal", "user-group:help-desk",
                "--principal", "user:ann", "--target", "device-group:workstations", "--target", "device:ws-0042",
                "--permission", "password.read", "--channel", "security-feed");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        com.fasterxml.jackson.databind.JsonNode sent = parsed(server.lastRequest("POST", "/api/v1/rules").body());
        assertThat(sent.get("principals")).isEqualTo(json("['user-group:22222222-0000-4000-8000-000000000001',"
                + "'user:11111111-0000-4000-8000-000000000007']"));
        assertThat(sent.get("targets")).isEqualTo(json("['device-group:33333333-0000-4000-8000-000000000001',"
                + "'device:44444444-0000-4000-8000-000000000002']"));
        assertThat(sent.get("channels")).isEqualTo(json("['55555555-0000-4000-8000-000000000001']"));

        server.respond("GET", "/api/v1/rules", 200, "[" + q("{'id':'r-1','name':'helpdesk','principals':"
                + "['user-group:22222222-0000-4000-8000-000000000001'],'targets':['device-group:33333333-0000-4000-8000-000000000001',"
                + "'device:44444444-0000-4000-8000-000000000002'],'permissions':['password.read']}") + "]");
        assertThat(cli.run("rules", "list").stdout()).contains("user-group:help-desk")
                .contains("device-group:workstations, device:ws-0042").doesNotContain("22222222");
    }

    @Test
    void createPostsEveryFieldAndPrintsTheId() {
        server.respond("POST", "/api/v1/rules", 201, RULE);

        CliRunner.Result result = cli.run("rules", "create", "helpdesk", "--principal", "user-group:22222222-0000-4000-8000-000000000001",
                "--principal", "user:11111111-0000-4000-8000-000000000007", "--target", "device-group:33333333-0000-4000-8000-000000000001", "--target", "device:44444444-0000-4000-8000-000000000002",
                "--permission", "password.read", "--permission", "device.rotate", "--require-reason",
                "--rotate-after-read", "1h", "--channel", "55555555-0000-4000-8000-000000000001", "--expires-in", "7d");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(parsed(server.lastRequest("POST", "/api/v1/rules").body())).isEqualTo(json("{'name':'helpdesk',"
                + "'principals':['user-group:22222222-0000-4000-8000-000000000001','user:11111111-0000-4000-8000-000000000007'],'targets':['device-group:33333333-0000-4000-8000-000000000001','device:44444444-0000-4000-8000-000000000002'],"
                + "'permissions':['password.read','device.rotate'],'requireReason':true,'rotateAfterReadMinutes':60,"
                + "'channels':['55555555-0000-4000-8000-000000000001'],'expiresAt':'2026-11-29T10:00:00Z'}"));
        assertThat(result.stdout()).isEqualTo("r-1" + NL);
    }

    @Test
    void createWithOnlyTheRequiredFlagsSendsRequireReasonFalse() {
        server.respond("POST", "/api/v1/rules", 201, RULE);

        cli.run("rules", "create", "all-admins", "--principal", "user:11111111-0000-4000-8000-000000000001", "--target", "all", "--permission", "device.manage");

        assertThat(parsed(server.lastRequest("POST", "/api/v1/rules").body())).isEqualTo(json("{'name':'all-admins',"
                + "'principals':['user:11111111-0000-4000-8000-000000000001'],'targets':['all'],'permissions':['device.manage'],'requireReason':false}"));
    }

    @Test
    void requireSecondFactorSendsItsMinutesAndRefusesOutOfRangeBeforeSending() {
        server.respond("POST", "/api/v1/rules", 201, RULE);

        cli.run("rules", "create", "mfa", "--principal", "user:11111111-0000-4000-8000-000000000001", "--target", "all",
                "--permission", "password.read", "--require-second-factor", "15");
        assertThat(parsed(server.lastRequest("POST", "/api/v1/rules").body()).path("requireSecondFactorMinutes").asInt())
                .isEqualTo(15);

        CliRunner.Result bad = cli.run("rules", "create", "mfa", "--principal", "user:11111111-0000-4000-8000-000000000001",
                "--target", "all", "--permission", "password.read", "--require-second-factor", "0");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.stderr()).contains("--require-second-factor: minutes must be 1 to 1440");
        assertThat(server.requests()).hasSize(1);
    }

    @ParameterizedTest
    @CsvSource({"60m, 60", "1h, 60", "90, 90", "2d, 2880", "0, 0"})
    void rotateAfterReadAcceptsDurationsAndPlainMinutes(String given, int minutes) {
        server.respond("POST", "/api/v1/rules", 201, RULE);

        cli.run("rules", "create", "r", "--principal", "user:11111111-0000-4000-8000-000000000001", "--target", "all", "--permission", "password.read",
                "--rotate-after-read", given);

        assertThat(parsed(server.lastRequest("POST", "/api/v1/rules").body()).path("rotateAfterReadMinutes").asInt())
                .isEqualTo(minutes);
    }

    @ParameterizedTest
    @CsvSource({
        "--principal, device:44444444-0000-4000-8000-000000000001, --principal must be user:NAME or user-group:NAME",
        "--principal, user:, --principal must be user:NAME or user-group:NAME",
        "--target, user:11111111-0000-4000-8000-000000000001, '--target must be device:HOSTNAME, device-group:NAME'",
        "--rotate-after-read, soon, --rotate-after-read:",
        "--rotate-after-read, 90s, --rotate-after-read:",
        "--rotate-after-read, 2y, --rotate-after-read:",
    })
    void createRefusesBadShapesBeforeSending(String flag, String value, String message) {
        String principal = flag.equals("--principal") ? value : "user:11111111-0000-4000-8000-000000000001";
        String target = flag.equals("--target") ? value : "all";
        CliRunner.Result result = flag.equals("--rotate-after-read")
                ? cli.run("rules", "create", "r", "--principal", principal, "--target", target, "--permission", "password.read",
                        flag, value)
                : cli.run("rules", "create", "r", "--principal", principal, "--target", target, "--permission", "password.read");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains(message);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void createNeedsPrincipalTargetAndPermission() {
        CliRunner.Result result = cli.run("rules", "create", "r", "--principal", "user:11111111-0000-4000-8000-000000000001");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("--target").contains("--permission");
    }

    @Test
    void listPrintsATable() {
        server.respond("GET", "/api/v1/rules", 200, "[" + RULE + "]");

        CliRunner.Result result = cli.run("rules", "list");

        assertThat(result.stdout().lines()).containsExactly(
                "ID   NAME      PRINCIPALS      TARGETS                        PERMISSIONS                   REASON    ROTATE AFTER  EXPIRES",
                "r-1  helpdesk  user-group:g-1  device-group:dg-1, device:d-2  password.read, device.rotate  required  60m           -");
    }

    @Test
    void showAndDelete() {
        server.respond("GET", "/api/v1/rules", 200, "[" + RULE + "]");
        server.respond("GET", "/api/v1/rules/r-1", 200, RULE);
        server.respond("DELETE", "/api/v1/rules/r-1", 204, "");

        CliRunner.Result show = cli.run("rules", "show", "helpdesk", "-o", "json");
        CliRunner.Result delete = cli.run("rules", "delete", "helpdesk");

        assertThat(parsed(show.stdout())).isEqualTo(parsed(RULE));
        assertThat(delete.exitCode()).isZero();
        assertThat(delete.stdout()).isEqualTo("deleted rule helpdesk (id r-1)" + NL);
    }

    @Test
    void validationErrorFromTheServerIsPrintedWithItsCode() {
        server.respond("POST", "/api/v1/rules", 400, q("{'error':'invalid-permissions','message':'unknown permission password.write'}"));

        CliRunner.Result result = cli.run("rules", "create", "r", "--principal", "user:11111111-0000-4000-8000-000000000001", "--target", "all",
                "--permission", "password.write");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).isEqualTo("castellan: create rule 'r': unknown permission password.write"
                + " (invalid-permissions, HTTP 400)" + NL);
    }
}
