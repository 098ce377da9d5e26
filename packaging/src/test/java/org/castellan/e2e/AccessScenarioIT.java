package org.castellan.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.castellan.protocol.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The security admin's story from the access-model issue, told through the real server and CLI
 * jars: "help desk may read passwords of workstations, with a reason, and the password rotates an
 * hour later; only the server team reads servers; every read is notified" — then checked with the
 * effective-access endpoint, and proven afterwards from the audit trail and the webhook.
 */
class AccessScenarioIT {
    private static final String WEBHOOK_SECRET = "whsec-e2e-0123456789abcdef";

    private record Delivery(String signature, byte[] body) {}

    @Test
    void helpDeskReadsWorkstationsWithAReasonServerTeamReadsServersAndEveryReadIsProven(@TempDir Path tmp)
            throws Exception {
        List<Delivery> deliveries = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            deliveries.add(new Delivery(exchange.getRequestHeaders().getFirst("X-Castellan-Signature"),
                    exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try (ServerProcess server = new ServerProcess(tmp.resolve("data")).start()) {
            AdminCli admin = new AdminCli(server, server.adminToken());

            // People and groups.
            String ann = admin.ok("users", "create", "ann", "--no-password").stdout().strip();
            String bob = admin.ok("users", "create", "bob", "--no-password").stdout().strip();
            String annToken = admin.ok("tokens", "create", "--user", ann, "--name", "ann-cli").stdout().strip();
            String bobToken = admin.ok("tokens", "create", "--user", bob, "--name", "bob-cli").stdout().strip();
            String helpDesk = admin.ok("groups", "create", "help-desk", "--member", ann).stdout().strip();
            String serverTeam = admin.ok("groups", "create", "server-team", "--member", bob).stdout().strip();

            // Devices, grouped by host name pattern.
            String workstations = admin.ok("device-groups", "create", "workstations", "--match-hostname", "ws-*")
                    .stdout().strip();
            String servers = admin.ok("device-groups", "create", "servers", "--match-hostname", "srv-*")
                    .stdout().strip();
            String key = admin.json("registration-keys", "create", "--name", "fleet").get("key").asText();
            SimulatedAgent ws = new SimulatedAgent(server, "ws-001");
            SimulatedAgent srv = new SimulatedAgent(server, "srv-001");
            String wsId = ws.register(key, "windows");
            String srvId = srv.register(key, "linux");
            ws.rotateTo("Administrator", "Ws-Password-0001!");
            srv.rotateTo("root", "Srv-Password-0001!");

            // The rules, and every read notified.
            String channel = admin.runWithStdin(WEBHOOK_SECRET + "\n", "channels", "create", "security-feed",
                    "--url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook", "--secret-stdin")
                    .stdout().strip();
            admin.ok("rules", "create", "help-desk-reads-workstations", "--principal", "user-group:" + helpDesk,
                    "--target", "device-group:" + workstations, "--permission", "password.read",
                    "--require-reason", "--rotate-after-read", "60m", "--channel", channel);
            admin.ok("rules", "create", "server-team-reads-servers", "--principal", "user-group:" + serverTeam,
                    "--target", "device-group:" + servers, "--permission", "password.read",
                    "--permission", "password.history", "--channel", channel);

            // Verified before anyone reads: effective access.
            JsonNode annOnWs = admin.json("access", "--principal", "user:" + ann, "--device", wsId);
            assertThat(annOnWs.get("permissions").toString()).contains("password.read").doesNotContain("history");
            assertThat(annOnWs.get("requireReason").asBoolean()).isTrue();
            assertThat(annOnWs.get("rotateAfterReadMinutes").asInt()).isEqualTo(60);
            assertThat(admin.json("access", "--principal", "user:" + ann, "--device", srvId).get("permissions"))
                    .isEmpty();
            assertThat(admin.json("access", "--principal", "user:" + bob, "--device", srvId).get("permissions")
                    .toString()).contains("password.read", "password.history");

            // Ann reads a workstation, with a reason; the password now expires in an hour.
            AdminCli annCli = admin.as(annToken);
            Instant before = Instant.now();
            ProcessResult noReason = annCli.run("password", "get", "ws-001");
            assertThat(noReason.exitCode()).isEqualTo(1);
            assertThat(noReason.stderr()).contains("reason-required");
            assertThat(annCli.ok("password", "get", "ws-001", "--reason", "ticket 4711").stdout())
                    .isEqualTo("Ws-Password-0001!\n");
            Instant expires = Instant.parse(admin.json("password", "get", "ws-001", "--reason", "check expiry")
                    .get("expiresAt").asText());
            assertThat(expires).isBetween(before.plus(Duration.ofMinutes(59)), Instant.now().plus(Duration.ofMinutes(61)));
            assertThat(ws.checkIn("Administrator").rotate()).as("not before the hour is up").isFalse();

            // Ann cannot read a server, even by its id through the API (no IDOR), nor see it listed.
            ProcessResult byName = annCli.run("password", "get", "srv-001", "--reason", "curious");
            assertThat(byName.exitCode()).isEqualTo(1);
            assertThat(byName.stdout()).isEmpty();
            assertThat(annCli.json("devices", "list").findValuesAsText("hostname")).containsExactly("ws-001");
            RawApi.Answer idor = RawApi.get(server, "/api/v1/devices/" + srvId + "/password?reason=curious", annToken);
            assertThat(idor.status()).isEqualTo(403);
            assertThat(idor.body()).contains("\"error\":\"forbidden\"").doesNotContain("Srv-Password");
            RawApi.Answer unknown = RawApi.get(server, "/api/v1/devices/" + java.util.UUID.randomUUID() + "/password",
                    annToken);
            assertThat(unknown.status()).as("an unknown id looks exactly like a forbidden one").isEqualTo(403);

            // Bob reads the server.
            assertThat(admin.as(bobToken).ok("password", "get", "srv-001", "--reason", "patching").stdout())
                    .isEqualTo("Srv-Password-0001!\n");

            // Proof afterwards: the audit trail says who read what, granted or denied, and why.
            JsonNode annReads = admin.json("audit", "--principal", "user:" + ann, "--action", "password.reveal");
            assertThat(annReads.findValuesAsText("outcome")).contains("granted", "denied");
            assertThat(annReads.toString()).contains("ticket 4711", wsId, srvId);
            JsonNode denied = admin.json("audit", "--device", srvId, "--outcome", "denied");
            assertThat(denied.findValuesAsText("principal")).contains("user:" + ann);
            ProcessResult verify = Processes.run(Processes.withArgs(TestJvm.jar(Processes.jar("castellan-server.jar")),
                    "audit", "verify", "--data", server.dataDir().toString()), java.util.Map.of(), null);
            assertThat(verify.exitCode()).as(verify.describe()).isZero();

            // And every read was notified, with a signature the receiver can check.
            Instant deadline = Instant.now().plusSeconds(30);
            while (deliveries.stream().noneMatch(d -> new String(d.body(), StandardCharsets.UTF_8).contains("srv-001"))
                    && Instant.now().isBefore(deadline)) {
                Thread.sleep(200);
            }
            assertThat(deliveries).isNotEmpty();
            for (Delivery delivery : deliveries) {
                assertThat(signatureValid(delivery)).as("webhook signature verifies").isTrue();
                assertThat(new String(delivery.body(), StandardCharsets.UTF_8))
                        .doesNotContain("Ws-Password").doesNotContain("Srv-Password");
            }
            List<String> events = deliveries.stream().map(d -> readTree(d.body())).map(n -> n.path("type").asText()
                    + "@" + n.path("deviceHostname").asText()).toList();
            assertThat(events).contains("password.revealed@ws-001", "password.revealed@srv-001");
        } finally {
            receiver.stop(0);
        }
    }

    private static JsonNode readTree(byte[] body) {
        try {
            return Json.tolerant().readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** {@code t=<epoch>,v1=<hex>}: HMAC-SHA256 over {@code t + "." + body}, computed independently here. */
    private static boolean signatureValid(Delivery delivery) throws Exception {
        String t = null;
        String v1 = null;
        for (String part : delivery.signature().split(",")) {
            if (part.startsWith("t=")) {
                t = part.substring(2);
            } else if (part.startsWith("v1=")) {
                v1 = part.substring(3);
            }
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
        byte[] expected = mac.doFinal(delivery.body());
        return v1 != null && java.security.MessageDigest.isEqual(expected, HexFormat.of().parseHex(v1));
    }
}
