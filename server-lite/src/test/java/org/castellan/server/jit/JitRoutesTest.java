package org.castellan.server.jit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.castellan.protocol.AgentPaths;
import org.castellan.protocol.messages.CheckInRequest;
import org.castellan.protocol.messages.JitReport;
import org.castellan.server.testing.AdminApi;
import org.castellan.server.testing.OneServerPerClass;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.Test;

/** Just-in-time admin rights over HTTPS on a real server and SQLite: request, approval, revoke, check-in, reports. */
class JitRoutesTest extends OneServerPerClass {
    private record Person(String id, String token) {}

    private static Person person() throws Exception {
        String id = admin.user("u-" + UUID.randomUUID().toString().substring(0, 8), null);
        return new Person(id, admin.token(id));
    }

    private static void rule(String deviceId, Map<String, Object> options, Person... people) throws Exception {
        Map<String, Object> rule = new java.util.LinkedHashMap<>(options);
        rule.put("principals", java.util.Arrays.stream(people).map(p -> "user:" + p.id()).toList());
        rule.put("targets", List.of("device:" + deviceId));
        rule.put("permissions", List.of("device.jit"));
        admin.rule(rule);
    }

    private static TestServer.Reply request(TestAgent agent, Person who, String user, long minutes, String reason)
            throws Exception {
        return server.sendWithToken("POST", "/api/v1/devices/" + agent.deviceId + "/jit"
                + (reason == null ? "" : "?reason=" + java.net.URLEncoder.encode(reason, "UTF-8")),
                Map.of("user", user, "minutes", minutes), who.token());
    }

    private static TestServer.Reply act(TestAgent agent, Person who, String grantId, String verb) throws Exception {
        return server.sendWithToken("POST", "/api/v1/devices/" + agent.deviceId + "/jit/" + grantId + "/" + verb,
                Map.of(), who.token());
    }

    private static JsonNode checkIn(TestAgent agent, JitReport... reports) throws Exception {
        TestServer.Reply reply = agent.post(AgentPaths.CHECK_IN, new CheckInRequest(agent.hostname, "Debian 12",
                "0.1.0", "root", null, List.of(), null, List.of(reports)));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json();
    }

    @Test
    void aGrantedRequestIsHandedToTheAgentUntilItsExpiryAndTheAgentsReportsAreAudited() throws Exception {
        TestAgent agent = agent();
        Person desk = person();
        rule(agent.deviceId, Map.of(), desk);
        Instant requestedAt = clock.instant();

        TestServer.Reply created = request(agent, desk, "ann", 120, "install printer driver");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("status").asText()).isEqualTo("active");
        String id = created.json().get("id").asText();
        assertThat(Instant.parse(created.json().get("expiresAt").asText()))
                .isEqualTo(requestedAt.plus(Duration.ofMinutes(120)));

        JsonNode answer = checkIn(agent);
        assertThat(answer.get("jitPending").asBoolean()).isFalse();
        assertThat(answer.get("jitGrants")).hasSize(1);
        assertThat(answer.get("jitGrants").get(0).get("user").asText()).isEqualTo("ann");
        assertThat(answer.get("jitGrants").get(0).get("id").asText()).isEqualTo(id);

        checkIn(agent, new JitReport(id, JitReport.GRANTED, clock.instant(), null));
        JsonNode listed = server.getWithToken("/api/v1/jit?device=" + agent.deviceId, desk.token()).json();
        assertThat(listed).singleElement().satisfies(g -> assertThat(g.get("agentState").asText()).isEqualTo("granted"));

        clock.advance(Duration.ofMinutes(121));
        assertThat(checkIn(agent).get("jitGrants")).as("an expired grant is no longer handed out").isEmpty();
        checkIn(agent, new JitReport(id, JitReport.EXPIRED, clock.instant(), null));
        assertThat(server.getWithToken("/api/v1/jit?device=" + agent.deviceId, desk.token()).json().get(0)
                .get("status").asText()).isEqualTo("expired");

        assertThat(admin.audit("device=" + agent.deviceId + "&action=jit.request")).singleElement()
                .satisfies(row -> {
                    assertThat(row.get("outcome").asText()).isEqualTo("granted");
                    assertThat(row.get("reason").asText()).isEqualTo("install printer driver");
                    assertThat(row.get("principal").asText()).isEqualTo("user:" + desk.id());
                });
        assertThat(admin.audit("device=" + agent.deviceId + "&action=jit.granted")).hasSize(1);
        assertThat(admin.audit("device=" + agent.deviceId + "&action=jit.expired")).singleElement()
                .satisfies(row -> assertThat(row.get("principal").asText()).isEqualTo("device:" + agent.deviceId));
    }

    @Test
    void underAnApprovalRuleTheRequesterCannotApproveAndASecondPersonCan() throws Exception {
        TestAgent agent = agent();
        Person requester = person();
        Person approver = person();
        rule(agent.deviceId, Map.of("requireApproval", true), requester, approver);

        TestServer.Reply created = request(agent, requester, "bob", 30, null);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("status").asText()).isEqualTo("pending");
        String id = created.json().get("id").asText();
        JsonNode pending = checkIn(agent);
        assertThat(pending.get("jitGrants")).as("nothing is granted before approval").isEmpty();
        assertThat(pending.get("jitPending").asBoolean()).as("the agent is told to poll sooner").isTrue();

        TestServer.Reply self = act(agent, requester, id, "approve");
        assertThat(self.status()).isEqualTo(403);
        assertThat(self.error()).isEqualTo("self-approval");
        assertThat(admin.audit("device=" + agent.deviceId + "&action=jit.approve&outcome=denied")).singleElement()
                .satisfies(row -> assertThat(row.get("detail").asText()).startsWith("self-approval"));
        assertThat(checkIn(agent).get("jitGrants")).as("a refused approval grants nothing").isEmpty();

        clock.advance(Duration.ofMinutes(10));
        Instant approvedAt = clock.instant();
        TestServer.Reply approved = act(agent, approver, id, "approve");
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        assertThat(approved.json().get("approvedBy").asText()).isEqualTo("user:" + approver.id());
        assertThat(Instant.parse(approved.json().get("expiresAt").asText()))
                .as("the right's time starts at approval")
                .isEqualTo(approvedAt.plus(Duration.ofMinutes(30)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        JsonNode after = checkIn(agent);
        assertThat(after.get("jitGrants")).hasSize(1);
        assertThat(after.get("jitPending").asBoolean()).isFalse();
        assertThat(act(agent, approver, id, "approve").error()).as("approved once").isEqualTo("not-pending");
        assertThat(admin.audit("device=" + agent.deviceId + "&action=jit.approve&outcome=granted")).hasSize(1);
    }

    @Test
    void revokingEarlyStopsHandingTheGrantOut() throws Exception {
        TestAgent agent = agent();
        Person desk = person();
        rule(agent.deviceId, Map.of(), desk);
        String id = request(agent, desk, "carol", 60, null).json().get("id").asText();
        assertThat(checkIn(agent).get("jitGrants")).hasSize(1);

        TestServer.Reply revoked = act(agent, desk, id, "revoke");
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
        assertThat(revoked.json().get("status").asText()).isEqualTo("revoked");
        assertThat(checkIn(agent).get("jitGrants")).isEmpty();
        assertThat(act(agent, desk, id, "revoke").error()).isEqualTo("not-revocable");
        assertThat(admin.audit("device=" + agent.deviceId + "&action=jit.revoke&outcome=granted")).hasSize(1);
    }

    @Test
    void requestsAreRefusedWithoutThePermissionWithoutARequiredReasonAndWithBadInput() throws Exception {
        TestAgent agent = agent();
        Person outsider = person();
        assertThat(request(agent, outsider, "ann", 60, "x").status()).isEqualTo(403);
        Person desk = person();
        rule(agent.deviceId, Map.of("requireReason", true), desk);

        TestServer.Reply noReason = request(agent, desk, "ann", 60, null);
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(noReason.error()).isEqualTo("reason-required");
        assertThat(request(agent, desk, "ann; rm -rf /", 60, "x").error()).isEqualTo("invalid-user");
        assertThat(request(agent, desk, "ann", 0, "x").error()).isEqualTo("invalid-minutes");
        assertThat(request(agent, desk, "ann", 7 * 24 * 60 + 1, "x").error()).isEqualTo("invalid-minutes");
        assertThat(checkIn(agent).get("jitGrants")).as("no refused request is handed out").isEmpty();
        assertThat(admin.audit("device=" + agent.deviceId + "&action=jit.request&outcome=denied")).hasSize(2);
        assertThat(server.getWithToken("/api/v1/jit?device=" + agent.deviceId, outsider.token()).json())
                .as("the list shows only devices the caller holds device.jit on").isEmpty();
    }

    @Test
    void aReportOnAnotherDevicesGrantChangesNothing() throws Exception {
        TestAgent owner = agent();
        TestAgent other = agent();
        Person desk = person();
        rule(owner.deviceId, Map.of(), desk);
        String id = request(owner, desk, "dave", 60, null).json().get("id").asText();

        checkIn(other, new JitReport(id, JitReport.EXPIRED, clock.instant(), null));

        JsonNode listed = server.getWithToken("/api/v1/jit?device=" + owner.deviceId, desk.token()).json();
        assertThat(listed.get(0).get("agentState").isNull()).isTrue();
        assertThat(checkIn(owner).get("jitGrants")).hasSize(1);
    }

    @Test
    void aDeviceWithJitRequestsCanStillBeDeleted() throws Exception {
        TestAgent agent = agent();
        Person desk = person();
        rule(agent.deviceId, Map.of(), desk);
        assertThat(request(agent, desk, "erin", 60, null).status()).isEqualTo(201);

        TestServer.Reply deleted = server.delete("/api/v1/devices/" + agent.deviceId);

        assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
        JsonNode kept = server.get("/api/v1/jit?device=" + agent.deviceId).json();
        assertThat(kept).as("the tombstone's grant is kept, revoked by the deletion").hasSize(1);
        assertThat(kept.get(0).get("status").asText()).isEqualTo("revoked");
        TestServer.Reply again = request(agent, desk, "erin", 60, null);
        assertThat(again.status()).as(again.body()).isEqualTo(409);
        assertThat(again.error()).isEqualTo("device-deleted");

        TestServer.Reply purged = server.post("/api/v1/devices/" + agent.deviceId + "/purge", Map.of("reason", "gone"));
        assertThat(purged.status()).as(purged.body()).isEqualTo(200);
        assertThat(server.get("/api/v1/jit?device=" + agent.deviceId).json()).isEmpty();
    }
}
