package org.castellan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.castellan.cli.testing.CliRunner;
import org.castellan.cli.testing.ServerTestBase;
import org.junit.jupiter.api.Test;

/** device-groups: create, list, show, update (read, merge, put; or a member change alone), delete. */
class DeviceGroupsCommandTest extends ServerTestBase {
    private static final String GROUP = q("{'id':'dg-1','name':'web','match':{'hostname':'web*','os':'linux'},"
            + "'policy':'servers','memberCount':1,'matchedCount':7}");

    @Test
    void createPostsDevicesMatchAndPolicy() {
        server.respond("POST", "/api/v1/device-groups", 201, GROUP);

        CliRunner.Result result = cli.run("device-groups", "create", "web", "--device", "44444444-0000-4000-8000-000000000001", "--device", "44444444-0000-4000-8000-000000000002",
                "--match-hostname", "web*", "--match-os", "Linux", "--policy", "servers");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(parsed(server.lastRequest("POST", "/api/v1/device-groups").body())).isEqualTo(json(
                "{'name':'web','devices':['44444444-0000-4000-8000-000000000001','44444444-0000-4000-8000-000000000002'],'match':{'hostname':'web*','os':'linux'},'policy':'servers'}"));
        assertThat(result.stdout()).isEqualTo("dg-1" + NL);
    }

    @Test
    void createWithOnlyANameSendsNoMatchOrPolicy() {
        server.respond("POST", "/api/v1/device-groups", 201, GROUP);

        cli.run("device-groups", "create", "manual");

        assertThat(parsed(server.lastRequest("POST", "/api/v1/device-groups").body()))
                .isEqualTo(json("{'name':'manual','devices':[]}"));
    }

    @Test
    void createRefusesAnUnknownOs() {
        CliRunner.Result result = cli.run("device-groups", "create", "x", "--match-os", "beos");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("--match-os must be linux, windows or macos");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void listShowsMatchConditionsAsText() {
        server.respond("GET", "/api/v1/device-groups", 200, "[" + GROUP + "]");

        CliRunner.Result result = cli.run("device-groups", "list");

        assertThat(result.stdout().lines()).containsExactly(
                "ID    NAME  DEVICES               MATCH                   POLICY",
                "dg-1  web   1 listed, 7 matching  hostname=web* os=linux  servers");
    }

    @Test
    void updateChangesOnlyTheGivenFieldsAndPutsTheWholeGroupWithoutReadOnlyFields() {
        server.respond("GET", "/api/v1/device-groups/33333333-0000-4000-8000-000000000001", 200, GROUP);
        server.respond("PUT", "/api/v1/device-groups/33333333-0000-4000-8000-000000000001", 200, GROUP);

        CliRunner.Result result = cli.run("device-groups", "update", "33333333-0000-4000-8000-000000000001", "--match-os", "windows", "--device", "44444444-0000-4000-8000-000000000009");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(parsed(server.lastRequest("PUT", "/api/v1/device-groups/33333333-0000-4000-8000-000000000001").body())).isEqualTo(json(
                "{'name':'web','devices':['44444444-0000-4000-8000-000000000009'],'match':{'hostname':'web*','os':'windows'},'policy':'servers'}"));
    }

    @Test
    void updateClearsConditionsAndPolicyWithNulls() {
        server.respond("GET", "/api/v1/device-groups/33333333-0000-4000-8000-000000000001", 200, GROUP);
        server.respond("PUT", "/api/v1/device-groups/33333333-0000-4000-8000-000000000001", 200, GROUP);

        cli.run("device-groups", "update", "33333333-0000-4000-8000-000000000001", "--match-hostname", "", "--no-policy", "--name", "renamed");
        assertThat(parsed(server.lastRequest("PUT", "/api/v1/device-groups/33333333-0000-4000-8000-000000000001").body())).isEqualTo(json(
                "{'name':'renamed','match':{'os':'linux'},'policy':null}"));

        cli.run("device-groups", "update", "33333333-0000-4000-8000-000000000001", "--no-match", "--no-devices");
        assertThat(parsed(server.lastRequest("PUT", "/api/v1/device-groups/33333333-0000-4000-8000-000000000001").body())).isEqualTo(json(
                "{'name':'web','devices':[],'match':null,'policy':'servers'}"));
    }

    @Test
    void addAndRemoveAloneSendOneMemberChangeAndNeverTheWholeList() {
        String path = "/api/v1/device-groups/33333333-0000-4000-8000-000000000001";
        server.respond("POST", path + "/members", 200, q("{'added':2,'removed':1,'memberCount':5}"));

        CliRunner.Result result = cli.run("device-groups", "update", "33333333-0000-4000-8000-000000000001",
                "--add", "web-1", "--add", "44444444-0000-4000-8000-000000000009", "--remove", "db-1");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(parsed(server.lastRequest("POST", path + "/members").body())).isEqualTo(json(
                "{'add':['web-1','44444444-0000-4000-8000-000000000009'],'remove':['db-1']}"));
        assertThat(server.requests()).as("no GET and PUT of the group").hasSize(1);
        assertThat(result.stdout()).contains("memberCount:").contains("5");
    }

    @Test
    void addWithAFieldChangePutsTheFieldsWithoutADeviceList() {
        String path = "/api/v1/device-groups/33333333-0000-4000-8000-000000000001";
        server.respond("POST", path + "/members", 200, q("{'added':1,'removed':0,'memberCount':2}"));
        server.respond("GET", path, 200, GROUP);
        server.respond("PUT", path, 200, GROUP);

        CliRunner.Result result = cli.run("device-groups", "update", "33333333-0000-4000-8000-000000000001",
                "--add", "web-1", "--name", "renamed");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(parsed(server.lastRequest("PUT", path).body())).as("members kept: no devices field").isEqualTo(json(
                "{'name':'renamed','match':{'hostname':'web*','os':'linux'},'policy':'servers'}"));
        assertThat(parsed(server.lastRequest("POST", path + "/members").body())).isEqualTo(json("{'add':['web-1']}"));
    }

    @Test
    void addCannotBeCombinedWithAWholeList() {
        CliRunner.Result result = cli.run("device-groups", "update", "33333333-0000-4000-8000-000000000001",
                "--add", "web-1", "--device", "web-2");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("--add and --remove cannot be combined with --device");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void updateWithNothingToChangeIsAUsageError() {
        CliRunner.Result result = cli.run("device-groups", "update", "33333333-0000-4000-8000-000000000001");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("nothing to change");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void showAndDelete() {
        server.respond("GET", "/api/v1/device-groups/33333333-0000-4000-8000-000000000001", 200, GROUP);
        server.respond("DELETE", "/api/v1/device-groups/33333333-0000-4000-8000-000000000001", 204, "");

        CliRunner.Result show = cli.run("device-groups", "show", "33333333-0000-4000-8000-000000000001");
        CliRunner.Result delete = cli.run("device-groups", "delete", "33333333-0000-4000-8000-000000000001");

        assertThat(show.stdout()).contains("policy:").contains("servers");
        assertThat(delete.stdout()).isEqualTo("deleted device group 33333333-0000-4000-8000-000000000001" + NL);
        assertThat(server.lastRequest("DELETE", "/api/v1/device-groups/33333333-0000-4000-8000-000000000001")).isNotNull();
    }
}
