package org.castellan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.castellan.cli.testing.CliRunner;
import org.castellan.cli.testing.Fixtures;
import org.castellan.cli.testing.RecordingHttpsServer;
import org.castellan.cli.testing.ServerTestBase;
import org.junit.jupiter.api.Test;

/** jit request, list, approve, revoke: what goes over the wire and what is printed. */
class JitCommandTest extends ServerTestBase {
    private static final String ACTIVE = q("{'id':'j-1','deviceId':'d-1','hostname':'web01','user':'ann','minutes':120,"
            + "'status':'active','expiresAt':'2026-11-22T12:00:00Z','requestedBy':'user:u-1'}");
    private static final String PENDING = q("{'id':'j-2','deviceId':'d-1','hostname':'web01','user':'bob','minutes':30,"
            + "'status':'pending','expiresAt':null,'requestedBy':'user:u-1'}");

    @Test
    void requestResolvesTheHostAndPostsUserMinutesAndTheReason() {
        server.respond("GET", "/api/v1/devices", 200, "[" + Fixtures.device("d-1", "web01") + "]");
        server.respond("POST", "/api/v1/devices/d-1/jit", 201, ACTIVE);

        CliRunner.Result result = cli.run("jit", "request", "web01", "--user", "ann", "--for", "2h", "--reason",
                "printer driver & co");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        RecordingHttpsServer.Recorded post = server.lastRequest("POST", "/api/v1/devices/d-1/jit");
        assertThat(parsed(post.body())).isEqualTo(json("{'user':'ann','minutes':120}"));
        assertThat(post.query()).containsEntry("reason", "printer driver & co");
        assertThat(result.stdout()).isEqualTo("j-1" + NL);
        assertThat(result.stderr()).contains("until 2026-11-22T12:00:00Z");
    }

    @Test
    void aDurationOverSevenDaysOrNotInWholeMinutesIsAUsageErrorAndSendsNothing() {
        for (String bad : new String[] {"8d", "PT30S", "soon"}) {
            CliRunner.Result result = cli.run("jit", "request", "web01", "--user", "ann", "--for", bad);
            assertThat(result.exitCode()).as(bad).isEqualTo(2);
            assertThat(result.stderr()).contains("--for");
        }
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void approveFindsTheRequestsDeviceAndReportsTheServersRefusalOfSelfApproval() {
        server.respond("GET", "/api/v1/jit", 200, "[" + ACTIVE + "," + PENDING + "]");
        server.respond("POST", "/api/v1/devices/d-1/jit/j-2/approve", 403,
                q("{'error':'self-approval','message':'a just-in-time request must be approved by someone other than its requester'}"));

        CliRunner.Result result = cli.run("jit", "approve", "j-2");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("someone other than its requester");
        assertThat(server.lastRequest("POST", "/api/v1/devices/d-1/jit/j-2/approve")).isNotNull();
    }

    @Test
    void revokePostsOnTheRequestsDevice() {
        server.respond("GET", "/api/v1/jit", 200, "[" + ACTIVE + "]");
        server.respond("POST", "/api/v1/devices/d-1/jit/j-1/revoke", 200, ACTIVE.replace("active", "revoked"));

        CliRunner.Result result = cli.run("jit", "revoke", "j-1", "--reason", "done early");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("revoked: admin rights for ann on web01 (revoked");
        assertThat(server.lastRequest("POST", "/api/v1/devices/d-1/jit/j-1/revoke").query())
                .containsEntry("reason", "done early");
    }

    @Test
    void listShowsOneRowPerRequest() {
        server.respond("GET", "/api/v1/jit", 200, "[" + ACTIVE + "," + PENDING + "]");

        CliRunner.Result result = cli.run("jit", "list");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("j-1").contains("ann").contains("active").contains("j-2").contains("pending");
    }
}
