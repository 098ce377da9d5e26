package org.castellan.e2e;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
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
import org.castellan.protocol.signing.SignedHeaders;
import org.castellan.protocol.tls.PinnedTrust;

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

    SimulatedAgent(ServerProcess server, String hostname) {
        this.server = server;
        this.hostname = hostname;
        PinnedTrust trust = PinnedTrust.pinned(server.fingerprint());
        this.http = new OkHttpClient.Builder().sslSocketFactory(trust.socketFactory(), trust.trustManager())
                .hostnameVerifier((h, s) -> true).build();
    }

    String register(String registrationKey, String os) throws Exception {
        RegisterResponse answer = post(AgentPaths.REGISTER, new RegisterRequest(registrationKey, hostname, os, "1",
                "test", key.publicKeyBase64()), RegisterResponse.class);
        deviceId = answer.deviceId();
        return deviceId;
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
        byte[] body = Json.mapper().writeValueAsBytes(message);
        SignedHeaders signed = signer.sign("POST", path, deviceId, body);
        Request.Builder request = new Request.Builder().url(server.url() + path).post(RequestBody.create(body, JSON));
        signed.asMap().forEach(request::header);
        try (Response response = http.newCall(request.build()).execute()) {
            String text = response.body().string();
            if (!response.isSuccessful()) {
                throw new AssertionError(path + " answered " + response.code() + ": " + text);
            }
            return Json.tolerant().readValue(text, answerType);
        }
    }
}
