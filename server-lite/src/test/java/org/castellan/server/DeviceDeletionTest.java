package org.castellan.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.castellan.server.recovery.RecoveryKeyClient;
import org.castellan.server.testing.AdminApi;
import org.castellan.server.testing.DbSnapshot;
import org.castellan.server.testing.OneServerPerClass;
import org.castellan.server.testing.TestAgent;
import org.castellan.server.testing.TestServer;
import org.junit.jupiter.api.Test;

/**
 * Promise 1, "deleting a device keeps its secrets revealable (audited) for a retention period":
 * delete leaves a tombstone; the retention job (30 days by default) or an admin's explicit purge,
 * with a reason, removes the secrets. The same for recovery keys of removed volumes.
 */
class DeviceDeletionTest extends OneServerPerClass {
    private static RecoveryKeyClient.Key key(String volume, String protector, String secret) {
        return new RecoveryKeyClient.Key(volume, volume, protector, secret);
    }

    private static long rows(String table, String deviceId) {
        return DbSnapshot.count(dataDir, "SELECT COUNT(*) FROM " + table + " WHERE device_id = '" + deviceId + "'");
    }

    @Test
    void aDeletedDeviceLeavesTheListsAndItsAgentIsRefusedButItsSecretsStayRevealableAndAudited() throws Exception {
        TestAgent agent = agent();
        AdminApi.escrowAndCommit(agent, "root", "Still-On-The-Machine-1");
        new RecoveryKeyClient(agent).escrow(List.of(), key("C:", "{ABCDEF01-1111-2222-3333-444444444444}", "424242-1"));
        String user = admin.user("helpdesk-" + UUID.randomUUID().toString().substring(0, 8), null);
        admin.rule(Map.of("principals", List.of("user:" + user), "targets", List.of("device:" + agent.deviceId),
                "permissions", List.of("password.read", "recovery-key.read")));
        String helpDesk = admin.token(user);
        String base = "/api/v1/devices/" + agent.deviceId;
        Instant deletedAt = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS); // stored in ms

        assertThat(server.delete(base).status()).isEqualTo(204);

        assertThat(server.get("/api/v1/devices").json()).noneMatch(d -> d.get("id").asText().equals(agent.deviceId));
        assertThat(server.get("/api/v1/devices?hostname=" + agent.hostname).json()).isEmpty();
        assertThat(server.getWithToken("/api/v1/devices", helpDesk).json()).isEmpty();
        JsonNode tombstone = server.get("/api/v1/devices?deleted=true&hostname=" + agent.hostname).json().get(0);
        assertThat(tombstone.get("id").asText()).isEqualTo(agent.deviceId);
        assertThat(tombstone.get("status").asText()).isEqualTo("deleted");
        assertThat(Instant.parse(tombstone.get("deletedAt").asText())).isEqualTo(deletedAt);
        assertThat(Instant.parse(tombstone.get("purgeAfter").asText())).isEqualTo(deletedAt.plus(Duration.ofDays(30)));
        assertThat(server.get(base).json().get("status").asText()).isEqualTo("deleted");

        // The agent gets a clear refusal and nothing it sends is stored.
        var before = DbSnapshot.take(dataDir, java.util.Set.of("audit_log", "api_tokens"));
        TestServer.Reply checkIn = agent.checkIn("root");
        assertThat(checkIn.status()).isEqualTo(403);
        assertThat(checkIn.error()).isEqualTo("device-deleted");
        TestServer.Reply escrow = agent.escrow("root", UUID.randomUUID().toString(), "Never-Stored-1");
        assertThat(escrow.error()).isEqualTo("device-deleted");
        assertThat(new RecoveryKeyClient(agent).escrow(List.of()).error()).isEqualTo("device-deleted");
        assertThat(DbSnapshot.take(dataDir, java.util.Set.of("audit_log", "api_tokens"))).isEqualTo(before);

        // Who may read its secrets still may, and each read is on record as a deleted device's.
        assertThat(server.getWithToken(base + "/password", helpDesk).json().get("password").asText())
                .isEqualTo("Still-On-The-Machine-1");
        assertThat(server.get(base + "/password").json().get("password").asText()).isEqualTo("Still-On-The-Machine-1");
        assertThat(server.getWithToken(base + "/recovery-keys", helpDesk).json().get(0).get("recoveryKey").asText())
                .isEqualTo("424242-1");
        assertThat(server.getWithToken("/api/v1/recovery-keys?keyId=ABCDEF01", helpDesk).json()).hasSize(1);
        assertThat(admin.audit("device=" + agent.deviceId + "&outcome=granted"))
                .filteredOn(row -> !row.get("action").asText().equals("device.delete")).hasSize(4)
                .allSatisfy(row -> assertThat(row.get("detail").asText()).contains("device deleted at " + deletedAt));

        // What a tombstone cannot do.
        assertThat(server.post(base + "/rotate", "{}").error()).isEqualTo("device-deleted");
        assertThat(server.post(base + "/approve", "{}").error()).isEqualTo("device-deleted");
        assertThat(server.delete(base).error()).isEqualTo("device-deleted");
        TestServer.Reply member = server.post("/api/v1/device-groups", Map.of("name", "tomb-" + UUID.randomUUID(),
                "devices", List.of(agent.deviceId)));
        assertThat(member.error()).isEqualTo("invalid-devices");
        assertThat(admin.audit("device=" + agent.deviceId + "&action=device.delete")).singleElement()
                .satisfies(row -> assertThat(row.get("detail").asText()).contains("kept until"));
    }

    @Test
    void theRetentionJobPurgesADeletedDeviceAfterThirtyDaysNotBeforeAndAuditsIt() throws Exception {
        TestAgent agent = agent();
        AdminApi.escrowAndCommit(agent, "root", "Purged-Later-1");
        new RecoveryKeyClient(agent).escrow(List.of(), key("C:", "{00000000-1111-2222-3333-444444444444}", "1-2-3"));
        String base = "/api/v1/devices/" + agent.deviceId;
        assertThat(server.delete(base).status()).isEqualTo(204);

        clock.advance(Duration.ofDays(30).minusMinutes(1));
        server.server.purgeDeleted();
        assertThat(server.get(base + "/password").json().get("password").asText()).isEqualTo("Purged-Later-1");
        assertThat(admin.audit("device=" + agent.deviceId + "&action=device.purge")).isEmpty();

        clock.advance(Duration.ofMinutes(2));
        assertThat(server.server.purgeDeleted()).isGreaterThanOrEqualTo(1);
        assertThat(server.get(base + "/password").error()).isEqualTo("device-not-found");
        assertThat(server.get("/api/v1/devices?deleted=true&hostname=" + agent.hostname).json()).isEmpty();
        for (String table : List.of("rotations", "recovery_keys", "device_group_members")) {
            assertThat(rows(table, agent.deviceId)).as(table).isZero();
        }
        assertThat(DbSnapshot.count(dataDir, "SELECT COUNT(*) FROM devices WHERE id = '" + agent.deviceId + "'")).isZero();
        assertThat(admin.audit("device=" + agent.deviceId + "&action=device.purge")).singleElement().satisfies(row -> {
            assertThat(row.get("principal").asText()).isEqualTo("system");
            assertThat(row.get("detail").asText()).contains("1 passwords and 1 recovery keys purged", "retention 30 days");
        });
    }

    @Test
    void anAdminPurgesADeletedDeviceEarlyOnlyWithAReasonAndOnlyOnceDeleted() throws Exception {
        TestAgent agent = agent();
        AdminApi.escrowAndCommit(agent, "root", "Purged-Now-1");
        AdminApi.escrowAndCommit(agent, "root", "Purged-Now-2");
        String base = "/api/v1/devices/" + agent.deviceId;
        String purge = base + "/purge";

        TestServer.Reply live = server.post(purge, Map.of("reason", "decommissioned"));
        assertThat(live.status()).isEqualTo(409);
        assertThat(live.error()).isEqualTo("device-not-deleted");
        assertThat(server.delete(base).status()).isEqualTo(204);
        for (Object body : List.of(Map.of(), Map.of("reason", "   "), Map.of("reason", "\u00a0"))) {
            TestServer.Reply noReason = server.post(purge, body);
            assertThat(noReason.status()).as(body.toString()).isEqualTo(400);
            assertThat(noReason.error()).isEqualTo("reason-required");
        }
        String user = admin.user("manager-" + UUID.randomUUID().toString().substring(0, 8), null);
        admin.rule(Map.of("principals", List.of("user:" + user), "targets", List.of("all"),
                "permissions", List.of("device.manage", "password.read")));
        assertThat(server.sendWithToken("POST", purge, Map.of("reason", "x"), admin.token(user)).status()).isEqualTo(403);
        assertThat(rows("rotations", agent.deviceId)).isEqualTo(2);

        TestServer.Reply purged = server.post(purge, Map.of("reason", "ticket 7: disk shredded"));
        assertThat(purged.status()).as(purged.body()).isEqualTo(200);
        assertThat(purged.json().get("deviceGone").asBoolean()).isTrue();
        assertThat(purged.json().get("passwords").asInt()).isEqualTo(2);
        assertThat(rows("rotations", agent.deviceId)).isZero();
        assertThat(server.post(purge, Map.of("reason", "again")).error()).isEqualTo("device-not-found");
        assertThat(admin.audit("device=" + agent.deviceId + "&action=device.purge")).singleElement().satisfies(row -> {
            assertThat(row.get("principal").asText()).isEqualTo("user:" + firstAdmin());
            assertThat(row.get("reason").asText()).isEqualTo("ticket 7: disk shredded");
            assertThat(row.get("detail").asText()).contains("2 passwords and 0 recovery keys purged");
        });
    }

    @Test
    void recoveryKeysOfRemovedVolumesStayRevealableForTheRetentionThenArePurgedOrPurgedByAnAdmin() throws Exception {
        TestAgent agent = agent();
        RecoveryKeyClient keys = new RecoveryKeyClient(agent);
        var current = key("C:", "{C0C0C0C0-1111-2222-3333-444444444444}", "current-1");
        keys.escrow(List.of(), current, key("D:", "{D0D0D0D0-1111-2222-3333-444444444444}", "removed-1"));
        keys.escrow(List.of(), current); // D: reformatted: its key is marked removed
        String base = "/api/v1/devices/" + agent.deviceId;
        assertThat(server.get(base + "/recovery-keys").json()).extracting(k -> k.get("recoveryKey").asText())
                .containsExactly("current-1", "removed-1");

        clock.advance(Duration.ofDays(29));
        server.server.purgeDeleted();
        assertThat(server.get(base + "/recovery-keys").json()).hasSize(2);
        clock.advance(Duration.ofDays(2));
        server.server.purgeDeleted();
        assertThat(server.get(base + "/recovery-keys").json()).extracting(k -> k.get("recoveryKey").asText())
                .containsExactly("current-1");
        assertThat(admin.audit("device=" + agent.deviceId + "&action=recovery-key.purge")).singleElement()
                .satisfies(row -> assertThat(row.get("principal").asText()).isEqualTo("system"));

        // Early, by an admin with a reason: removed keys only; the current key stays.
        keys.escrow(List.of(), current, key("E:", "{E0E0E0E0-1111-2222-3333-444444444444}", "removed-2"));
        keys.escrow(List.of(), current);
        assertThat(server.post(base + "/recovery-keys/purge", Map.of()).error()).isEqualTo("reason-required");
        TestServer.Reply purged = server.post(base + "/recovery-keys/purge", Map.of("reason", "E: wiped"));
        assertThat(purged.status()).as(purged.body()).isEqualTo(200);
        assertThat(purged.json().get("recoveryKeys").asInt()).isEqualTo(1);
        assertThat(server.get(base + "/recovery-keys").json()).extracting(k -> k.get("recoveryKey").asText())
                .containsExactly("current-1");
        assertThat(admin.audit("device=" + agent.deviceId + "&action=recovery-key.purge&principal=user:" + firstAdmin()))
                .singleElement().satisfies(row -> assertThat(row.get("reason").asText()).isEqualTo("E: wiped"));
    }

    /** The bootstrap admin, whose token the test server uses (other tests add users that are not admins). */
    private static String firstAdmin() throws Exception {
        for (JsonNode user : server.get("/api/v1/users").json()) {
            if (user.get("admin").asBoolean()) {
                return user.get("id").asText();
            }
        }
        throw new AssertionError("no admin user");
    }
}
