package org.castellan.server.agent;

import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.castellan.protocol.messages.RegisterRequest;
import org.castellan.protocol.messages.RegisterResponse;
import org.castellan.protocol.signing.DeviceKeyPair;
import org.castellan.server.audit.AuditActions;
import org.castellan.server.devices.Device;
import org.castellan.server.devices.DeviceStore;
import org.castellan.server.groups.SqlDeviceGroupStore;
import org.castellan.server.guard.AgentRequest;
import org.castellan.server.guard.Routes;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.JsonBody;
import org.castellan.server.http.Responses;
import org.castellan.server.http.TextRules;
import org.castellan.server.policy.Policy;
import org.castellan.server.policy.PolicyLookup;
import org.castellan.server.ratelimit.LimitKeys;
import org.castellan.server.ratelimit.RateDecision;
import org.castellan.server.ratelimit.RateLimiter;
import org.castellan.server.registration.RegistrationKey;
import org.castellan.server.registration.RegistrationKeyStore;
import org.castellan.server.users.Tokens;
import org.castellan.server.vault.Vault;

/**
 * {@code POST /api/v1/agent/register}: a valid registration key and a request signed with the
 * new device key create the device; the key's use is counted in the same transaction.
 */
public final class RegisterHandler implements Routes.RegistrationHandler<RegisterRequest> {
    private static final Set<String> OPERATING_SYSTEMS = Set.of("linux", "windows", "macos");
    private final RegistrationKeyStore keys;
    private final DeviceStore devices;
    private final PolicyLookup policies;
    private final SqlDeviceGroupStore deviceGroups;
    private final RateLimiter limiter;
    private final Vault vault;
    private final Clock clock;

    public RegisterHandler(RegistrationKeyStore keys, DeviceStore devices, PolicyLookup policies,
                           SqlDeviceGroupStore deviceGroups, RateLimiter limiter, Vault vault, Clock clock) {
        this.keys = keys;
        this.devices = devices;
        this.policies = policies;
        this.deviceGroups = deviceGroups;
        this.limiter = limiter;
        this.vault = vault;
        this.clock = clock;
    }

    /** What the transaction decided: a new device, or the refusal it audited. */
    private record Outcome(Device device, String refusal, Policy policy) {}

    @Override
    public RegisterRequest read(Context ctx, byte[] body) {
        JsonBody.requireJsonContentType(ctx);
        RegisterRequest request = JsonBody.parse(body, RegisterRequest.class);
        TextRules.hostname(request.hostname());
        if (request.os() == null || !OPERATING_SYSTEMS.contains(request.os())) {
            throw ApiException.badRequest("invalid-os", "field 'os' must be linux, windows or macos");
        }
        TextRules.optional(request.osVersion(), "osVersion", 100);
        TextRules.optional(request.agentVersion(), "agentVersion", 100);
        if (request.publicKey() == null || !DeviceKeyPair.isValidPublicKey(request.publicKey())) {
            throw ApiException.badRequest("invalid-publicKey", "field 'publicKey' must be a base64 Ed25519 public key");
        }
        return request;
    }

    @Override
    public String publicKey(RegisterRequest request) {
        return request.publicKey();
    }

    @Override
    public void handle(Context ctx, RegisterRequest request, AgentRequest signed) {
        String hostname = request.hostname();
        String keyHash = request.registrationKey() == null ? null : Tokens.hash(request.registrationKey());
        Instant now = clock.instant();
        RateDecision allowed = limiter.tryAcquire(LimitKeys.address(signed.client()));
        if (!allowed.allowed()) {
            // Coalesced per address and window: hammering the limit cannot grow the log without bound.
            signed.refusedRepeatedly(AuditActions.DEVICE_REGISTER, "hostname " + hostname, "rate-limited");
            throw ApiException.tooManyRequests("rate-limited", "too many registrations from this address; try again later",
                    allowed.retryAfterSeconds());
        }

        Outcome outcome = signed.write((c, audit) -> {
            RegistrationKey key = keyHash == null ? null : keys.byHash(c, keyHash).orElse(null);
            String refusal = key == null ? "registration-key-invalid" : key.refusal(now);
            if (refusal != null) {
                audit.append(key == null ? "anonymous" : "registration-key:" + key.id(), AuditActions.DEVICE_REGISTER,
                        "refused", null, refusal + " for hostname " + hostname);
                return new Outcome(null, refusal, null);
            }
            if (!keys.countUse(c, key.id())) {
                audit.append("registration-key:" + key.id(), AuditActions.DEVICE_REGISTER, "refused", null,
                        "registration-key-used-up for hostname " + hostname);
                return new Outcome(null, "registration-key-used-up", null);
            }
            if (devices.publicKeyInUse(c, request.publicKey())) {
                throw ApiException.conflict("device-exists", "a device with this public key is already registered");
            }
            Device device = new Device(Tokens.newId(), hostname, request.os(), request.osVersion(), request.agentVersion(),
                    request.publicKey(), null, null, List.of(), now, null, null, null,
                    key.requireApproval() ? null : now, null);
            devices.insert(c, device, key.id());
            for (String groupId : key.groups()) {
                if (deviceGroups.exists(c, groupId)) {
                    deviceGroups.addMember(c, groupId, device.id());
                }
            }
            audit.append("registration-key:" + key.id(), AuditActions.DEVICE_REGISTER, "ok", device.id(),
                    "hostname " + hostname + (key.requireApproval() ? "; waiting for approval" : ""));
            return new Outcome(device, null, policies.forDevice(c, device));
        });
        if (outcome.refusal() != null) {
            throw ApiException.forbidden(outcome.refusal(), refusalMessage(outcome.refusal()));
        }
        Responses.json(ctx, 201, new RegisterResponse(outcome.device().id(), vault.current().publicKey(),
                outcome.policy().toAgentPolicy()));
    }

    private static String refusalMessage(String code) {
        return switch (code) {
            case "registration-key-expired" -> "the registration key has expired";
            case "registration-key-revoked" -> "the registration key was revoked";
            case "registration-key-used-up" -> "the registration key has been used its maximum number of times";
            default -> "the registration key is not valid";
        };
    }
}
