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
import org.castellan.server.audit.AuditEvent;
import org.castellan.server.audit.AuditLog;
import org.castellan.server.db.Database;
import org.castellan.server.devices.Device;
import org.castellan.server.devices.DeviceStore;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.JsonBody;
import org.castellan.server.http.RequestLimits;
import org.castellan.server.http.Responses;
import org.castellan.server.http.TextRules;
import org.castellan.server.policy.Policy;
import org.castellan.server.policy.PolicyLookup;
import org.castellan.server.groups.SqlDeviceGroupStore;
import org.castellan.server.http.ClientAddresses;
import org.castellan.server.ratelimit.LimitKeys;
import org.castellan.server.ratelimit.RateDecision;
import org.castellan.server.ratelimit.SlidingWindowLimiter;
import org.castellan.server.registration.RegistrationKey;
import org.castellan.server.registration.RegistrationKeyStore;
import org.castellan.server.users.Tokens;
import org.castellan.server.vault.Vault;

/**
 * {@code POST /api/v1/agent/register}: a valid registration key and a request signed with the
 * new device key create the device; the key's use is counted in the same transaction.
 */
public final class RegisterHandler implements io.javalin.http.Handler {
    private static final Set<String> OPERATING_SYSTEMS = Set.of("linux", "windows", "macos");
    private final Database db;
    private final AgentAuthenticator authenticator;
    private final NonceStore nonces;
    private final RegistrationKeyStore keys;
    private final DeviceStore devices;
    private final PolicyLookup policies;
    private final SqlDeviceGroupStore deviceGroups;
    private final SlidingWindowLimiter limiter;
    private final ClientAddresses addresses;
    private final AuditLog audit;
    private final Vault vault;
    private final Clock clock;

    public RegisterHandler(Database db, AgentAuthenticator authenticator, NonceStore nonces,
                           RegistrationKeyStore keys, DeviceStore devices, PolicyLookup policies,
                           SqlDeviceGroupStore deviceGroups, SlidingWindowLimiter limiter, ClientAddresses addresses,
                           AuditLog audit, Vault vault, Clock clock) {
        this.deviceGroups = deviceGroups;
        this.limiter = limiter;
        this.addresses = addresses;
        this.db = db;
        this.authenticator = authenticator;
        this.nonces = nonces;
        this.keys = keys;
        this.devices = devices;
        this.policies = policies;
        this.audit = audit;
        this.vault = vault;
        this.clock = clock;
    }

    /** What the transaction decided: a new device, or the refusal it audited. */
    private record Outcome(Device device, String refusal, Policy policy) {}

    @Override
    public void handle(Context ctx) {
        byte[] body = RequestLimits.body(ctx);
        JsonBody.requireJsonContentType(ctx);
        RegisterRequest request = JsonBody.parse(body, RegisterRequest.class);
        String hostname = TextRules.hostname(request.hostname());
        if (request.os() == null || !OPERATING_SYSTEMS.contains(request.os())) {
            throw ApiException.badRequest("invalid-os", "field 'os' must be linux, windows or macos");
        }
        String osVersion = TextRules.optional(request.osVersion(), "osVersion", 100);
        String agentVersion = TextRules.optional(request.agentVersion(), "agentVersion", 100);
        if (request.publicKey() == null || !DeviceKeyPair.isValidPublicKey(request.publicKey())) {
            throw ApiException.badRequest("invalid-publicKey", "field 'publicKey' must be a base64 Ed25519 public key");
        }
        SignedRequest signed = authenticator.registration(ctx, request.publicKey(), body);
        String keyHash = request.registrationKey() == null ? null : Tokens.hash(request.registrationKey());
        Instant now = clock.instant();
        java.net.InetAddress clientAddress = addresses.resolve(ctx);
        String client = clientAddress.getHostAddress();
        RateDecision allowed = limiter.tryAcquire(LimitKeys.address(clientAddress));
        if (!allowed.allowed()) {
            db.write(c -> {
                audit.append(c, new AuditEvent("anonymous", AuditActions.DEVICE_REGISTER, "refused", null, null, client,
                        "rate-limited for hostname " + hostname));
                return null;
            });
            throw ApiException.tooManyRequests("rate-limited", "too many registrations from this address; try again later",
                    allowed.retryAfterSeconds());
        }

        Outcome outcome = db.write(c -> {
            nonces.record(c, signed);
            RegistrationKey key = keyHash == null ? null : keys.byHash(c, keyHash).orElse(null);
            String refusal = key == null ? "registration-key-invalid" : key.refusal(now);
            if (refusal != null) {
                audit.append(c, new AuditEvent(key == null ? "anonymous" : "registration-key:" + key.id(),
                        AuditActions.DEVICE_REGISTER, "refused", null, null, client,
                        refusal + " for hostname " + hostname));
                return new Outcome(null, refusal, null);
            }
            if (devices.publicKeyInUse(c, request.publicKey())) {
                throw ApiException.conflict("device-exists", "a device with this public key is already registered");
            }
            Device device = new Device(Tokens.newId(), hostname, request.os(), osVersion, agentVersion,
                    request.publicKey(), null, null, List.of(), now, null, null, null,
                    key.requireApproval() ? null : now);
            devices.insert(c, device, key.id());
            for (String groupId : key.groups()) {
                if (deviceGroups.byId(c, groupId).isPresent()) {
                    deviceGroups.addMember(c, groupId, device.id());
                }
            }
            keys.countUse(c, key.id());
            audit.append(c, new AuditEvent("registration-key:" + key.id(), AuditActions.DEVICE_REGISTER, "ok",
                    device.id(), null, client, "hostname " + hostname
                    + (key.requireApproval() ? "; waiting for approval" : "")));
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
