package org.castellan.e2e;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.castellan.protocol.AgentPaths;
import org.castellan.protocol.Json;
import org.castellan.protocol.envelope.AssociatedData;
import org.castellan.protocol.envelope.SecretEnvelope;
import org.castellan.protocol.messages.CheckInRequest;
import org.castellan.protocol.messages.CheckInResponse;
import org.castellan.protocol.messages.EscrowRequest;
import org.castellan.protocol.messages.RegisterRequest;
import org.castellan.protocol.messages.RegisterResponse;
import org.castellan.protocol.messages.RotationOutcome;
import org.castellan.protocol.signing.DeviceKeyPair;
import org.castellan.protocol.signing.RequestSigner;

/**
 * A device speaking the real agent protocol with a host name of the test's choosing, for
 * scenarios that need several devices (the real agent reports this machine's one host name).
 */
final class SimulatedAgent {
    private static final MediaType JSON = MediaType.get("application/json");
    private final ServerProcess server;
    private final String hostname;
    private final DeviceKeyPair key = DeviceKeyPair.generate(new SecureRandom());
    private final RequestSigner signer = new RequestSigner(key, Clock.systemUTC(), new SecureRandom());
    private final OkHttpClient http;
    private String deviceId;

    /** A request signed once: the exact body bytes and headers, to send as they are to any node. */
    record Signed(String path, byte[] body, Map<String, String> headers) {}

    SimulatedAgent(ServerProcess server, String hostname) {
        this.server = server;
        this.hostname = hostname;
        this.http = RawApi.client(server);
    }

    String register(String registrationKey, String os) throws Exception {
        RegisterResponse answer = post(AgentPaths.REGISTER, new RegisterRequest(registrationKey, hostname, os, "1",
                "test", key.publicKeyBase64()), RegisterResponse.class);
        deviceId = answer.deviceId();
        return deviceId;
    }

    /** Registers and answers whatever the server said (a refusal too); a 201 makes this the device. */
    RawApi.Answer tryRegister(String registrationKey, String os) throws Exception {
        RawApi.Answer answer = send(server, sign(AgentPaths.REGISTER, new RegisterRequest(registrationKey, hostname, os,
                "1", "test", key.publicKeyBase64())));
        if (answer.status() == 201) {
            deviceId = Json.tolerant().readValue(answer.body(), RegisterResponse.class).deviceId();
        }
        return answer;
    }

    /** A check-in signed now (a fresh nonce), not sent. */
    Signed signedCheckIn(String account) throws Exception {
        return sign(AgentPaths.CHECK_IN, new CheckInRequest(hostname, "1", "test", account, null, List.of()));
    }

    Signed sign(String path, Object message) throws Exception {
        byte[] body = Json.mapper().writeValueAsBytes(message);
        return new Signed(path, body, signer.sign("POST", path, deviceId, body).asMap());
    }

    /** Sends {@code request} byte for byte to {@code node} (any node: they share the certificate). */
    RawApi.Answer send(ServerProcess node, Signed request) throws Exception {
        Request.Builder builder = new Request.Builder().url(node.url() + request.path())
                .post(RequestBody.create(request.body(), JSON));
        request.headers().forEach(builder::header);
        try (Response response = http.newCall(builder.build()).execute()) {
            return RawApi.Answer.of(response);
        }
    }

    CheckInResponse checkIn(String account) throws Exception {
        return post(AgentPaths.CHECK_IN, new CheckInRequest(hostname, "1", "test", account, null, List.of()),
                CheckInResponse.class);
    }

    /** Escrows and commits {@code password} as the agent does after setting it. */
    void rotateTo(String account, String password) throws Exception {
        CheckInResponse checkIn = checkIn(account);
        String rotationId = UUID.randomUUID().toString();
        var envelope = SecretEnvelope.seal(checkIn.vaultKey(), AssociatedData.forPassword(deviceId, account, rotationId),
                password.getBytes(StandardCharsets.UTF_8));
        post(AgentPaths.ROTATIONS, new EscrowRequest(rotationId, account, envelope), Object.class);
        post(AgentPaths.commit(rotationId), new RotationOutcome(null), Object.class);
    }

    private <T> T post(String path, Object message, Class<T> answerType) throws Exception {
        RawApi.Answer answer = send(server, sign(path, message));
        if (answer.status() < 200 || answer.status() > 299) {
            throw new AssertionError(path + " answered " + answer.status() + ": " + answer.body());
        }
        return Json.tolerant().readValue(answer.body(), answerType);
    }
}
