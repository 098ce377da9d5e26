package org.castellan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.castellan.cli.testing.CliRunner;
import org.castellan.cli.testing.ServerTestBase;
import org.junit.jupiter.api.Test;

/** groups (user groups): create, list, show, set-members, delete. */
class GroupsCommandTest extends ServerTestBase {
    private static final String GROUP = q("{'id':'g-1','name':'helpdesk','members':['u-1','u-2']}");

    @Test
    void createPostsNameAndMembersAndPrintsTheId() {
        server.respond("POST", "/api/v1/user-groups", 201, GROUP);

        CliRunner.Result result = cli.run("groups", "create", "helpdesk", "--member", "11111111-0000-4000-8000-000000000001", "--member", "11111111-0000-4000-8000-000000000002");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(parsed(server.lastRequest("POST", "/api/v1/user-groups").body()))
                .isEqualTo(json("{'name':'helpdesk','members':['11111111-0000-4000-8000-000000000001','11111111-0000-4000-8000-000000000002']}"));
        assertThat(result.stdout()).isEqualTo("g-1" + NL);
        assertThat(result.stderr()).contains("created user group helpdesk (id g-1)");
    }

    @Test
    void createWithoutMembersSendsAnEmptyList() {
        server.respond("POST", "/api/v1/user-groups", 201, GROUP);

        cli.run("groups", "create", "empty");

        assertThat(parsed(server.lastRequest("POST", "/api/v1/user-groups").body()))
                .isEqualTo(json("{'name':'empty','members':[]}"));
    }

    @Test
    void listAndShow() {
        server.respond("GET", "/api/v1/user-groups", 200, "[" + GROUP + "]");
        server.respond("GET", "/api/v1/user-groups/g-1", 200, GROUP);

        CliRunner.Result list = cli.run("groups", "list");
        CliRunner.Result show = cli.run("groups", "show", "helpdesk", "-o", "json");

        assertThat(list.stdout().lines()).containsExactly("ID   NAME      MEMBERS", "g-1  helpdesk  u-1, u-2");
        assertThat(parsed(show.stdout())).isEqualTo(parsed(GROUP));
    }

    @Test
    void setMembersPutsTheWholeList() {
        server.respond("PUT", "/api/v1/user-groups/22222222-0000-4000-8000-000000000001/members", 200, GROUP);

        CliRunner.Result result = cli.run("groups", "set-members", "22222222-0000-4000-8000-000000000001", "--member", "11111111-0000-4000-8000-000000000003");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(parsed(server.lastRequest("PUT", "/api/v1/user-groups/22222222-0000-4000-8000-000000000001/members").body()))
                .isEqualTo(json("{'members':['11111111-0000-4000-8000-000000000003']}"));
        assertThat(result.stdout()).isEqualTo("user group 22222222-0000-4000-8000-000000000001 now has 1 member" + NL);
    }

    @Test
    void setMembersEmptiesTheGroupOnlyWithNone() {
        server.respond("PUT", "/api/v1/user-groups/22222222-0000-4000-8000-000000000001/members", 200, "");

        CliRunner.Result forgotten = cli.run("groups", "set-members", "22222222-0000-4000-8000-000000000001");
        assertThat(forgotten.exitCode()).isEqualTo(2);
        assertThat(forgotten.stderr()).contains("--none");
        assertThat(server.requests()).isEmpty();

        CliRunner.Result emptied = cli.run("groups", "set-members", "22222222-0000-4000-8000-000000000001", "--none");
        assertThat(emptied.exitCode()).isZero();
        assertThat(parsed(server.lastRequest("PUT", "/api/v1/user-groups/22222222-0000-4000-8000-000000000001/members").body())).isEqualTo(json("{'members':[]}"));
    }

    @Test
    void deleteSendsDeleteAndAcceptsNoContent() {
        server.respond("DELETE", "/api/v1/user-groups/22222222-0000-4000-8000-000000000001", 204, "");

        CliRunner.Result result = cli.run("groups", "delete", "22222222-0000-4000-8000-000000000001");
        CliRunner.Result json = cli.run("groups", "delete", "22222222-0000-4000-8000-000000000001", "-o", "json");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEqualTo("deleted user group 22222222-0000-4000-8000-000000000001" + NL);
        assertThat(server.lastRequest("DELETE", "/api/v1/user-groups/22222222-0000-4000-8000-000000000001").body()).isEmpty();
        assertThat(parsed(json.stdout())).isEqualTo(json("{'id':'22222222-0000-4000-8000-000000000001','deleted':true}"));
    }
}
