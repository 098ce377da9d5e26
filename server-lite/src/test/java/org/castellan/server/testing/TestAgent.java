package org.castellan.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.castellan.protocol.AgentPaths;
import org.castellan.protocol.Json;
import org.castellan.protocol.envelope.AssociatedData;
import org.castellan.protocol.envelope.Envelope;
import org.castellan.protocol.envelope.SecretEnvelope;
import org.castellan.protocol.messages.CheckInRequest;
import org.castellan.protocol.messages.EscrowRequest;
import org.castellan.protocol.messages.RegisterRequest;
import org.castellan.protocol.messages.VaultKey;
import org.castellan.protocol.signing.DeviceKeyPair;
import org.castellan.protocol.signing.RequestSigner;
import org.castellan.protocol.signing.SignedHeaders;

/** Plays the agent's side of the protocol: signs with its own device key, seals to the vault key. */
public final class TestAgent {
    private static final SecureRandom RANDOM = new SecureRandom();
    public final DeviceKeyPair key = DeviceKeyPair.generate(RANDOM);
    private TestServer server;
    public String deviceId;
    public VaultKey vaultKey;
    public String hostname = "host-" + UUID.randomUUID().toString().substring(0, 8);

    public TestAgent(TestServer server) {
        this.server = server;
    }

    /** The same device (key, id, vault key) talking to another server instance, e.g. after a restart. */
    public TestAgent on(TestServer other) {
        this.server = other;
        return this;
    }

    /** A signed request as the agent would send it; {@code clock} lets tests sign in the past. */
    public Request signed(String path, byte[] body, Clock clock) {
        SignedHeaders headers = new RequestSigner(key, clock, RANDOM).sign("POST", path, deviceId, body);
        Request.Builder builder = new Request.Builder().url(server.url(path)).post(RequestBody.create(body, TestServer.JSON));
        headers.asMap().forEach(builder::header);
        return builder.build();
    }

    /** The clock requests are signed with: set it to the server's test clock when that one moves. */
    public Clock clock = Clock.systemUTC();

    public TestServer.Reply post(String path, Object body) throws IOException {
        return server.call(signed(path, bytes(body), clock));
    }

    public static byte[] bytes(Object body) throws IOException {
        return body instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : Json.mapper().writeValueAsBytes(body);
    }

    public RegisterRequest registerRequest(String registrationKey) {
        return new RegisterRequest(registrationKey, hostname, "linux", "Debian 12", "0.1.0", key.publicKeyBase64());
    }

    public TestServer.Reply register(String registrationKey) throws IOException {
        TestServer.Reply reply = post(AgentPaths.REGISTER, registerRequest(registrationKey));
        if (reply.status() == 201) {
            JsonNode json = reply.json();
            deviceId = json.get("deviceId").asText();
            vaultKey = Json.mapper().convertValue(json.get("vaultKey"), VaultKey.class);
        }
        return reply;
    }

    /** Registers with a fresh registration key created through the admin API. */
    public TestAgent registered() throws IOException {
        TestServer.Reply reply = register(newRegistrationKey(server));
        if (reply.status() != 201) {
            throw new AssertionError("registration failed: " + reply);
        }
        return this;
    }

    public static String newRegistrationKey(TestServer server) throws IOException {
        TestServer.Reply reply = server.post("/api/v1/registration-keys", Map.of("name", "test key"));
        if (reply.status() != 201) {
            throw new AssertionError("creating a registration key failed: " + reply);
        }
        return reply.json().get("key").asText();
    }

    public CheckInRequest checkInRequest(String account) {
        return new CheckInRequest(hostname, "Debian 12", "0.1.0", account, null, List.of());
    }

    public TestServer.Reply checkIn(String account) throws IOException {
        return post(AgentPaths.CHECK_IN, checkInRequest(account));
    }

    public Envelope seal(String account, String rotationId, String password) throws Exception {
        return SecretEnvelope.seal(vaultKey, AssociatedData.forPassword(deviceId, account, rotationId),
                password.getBytes(StandardCharsets.UTF_8));
    }

    public TestServer.Reply escrow(String account, String rotationId, String password) throws Exception {
        return post(AgentPaths.ROTATIONS, new EscrowRequest(rotationId, account, seal(account, rotationId, password)));
    }

    public TestServer.Reply commit(String rotationId) throws IOException {
        return post(AgentPaths.commit(rotationId), "{}");
    }

    public TestServer.Reply abort(String rotationId, String detail) throws IOException {
        return post(AgentPaths.abort(rotationId), detail == null ? "{}" : Json.mapper().writeValueAsString(Map.of("detail", detail)));
    }
}
