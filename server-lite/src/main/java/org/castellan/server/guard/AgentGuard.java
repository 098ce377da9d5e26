package org.castellan.server.guard;

import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import org.castellan.protocol.Headers;
import org.castellan.protocol.signing.PublicKeyCache;
import org.castellan.protocol.signing.RequestVerifier;
import org.castellan.protocol.signing.SignatureCheckException;
import org.castellan.server.audit.AuditLog;
import org.castellan.server.db.Database;
import org.castellan.server.devices.Device;
import org.castellan.server.devices.DeviceStore;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.ClientAddresses;
import org.castellan.server.http.RequestLimits;

/**
 * The agent-signed guard (promise 4): checks the signature over the method, the request path
 * plus its query string and the exact body bytes, refuses a nonce already seen, and hands the
 * handler an {@link AgentRequest} whose one write records the nonce.
 */
public final class AgentGuard {
    private final Database db;
    private final DeviceStore devices;
    private final NonceStore nonces;
    private final AuditLog audit;
    private final ClientAddresses addresses;
    private final Clock clock;
    private final Duration maxSkew;
    private final AnonymousDenials anonymous;
    /** Shared by every request's verifier: a device's key is decoded once, not per request. */
    private final PublicKeyCache publicKeys = new PublicKeyCache(PublicKeyCache.DEFAULT_CAPACITY);

    public AgentGuard(Database db, DeviceStore devices, AuditLog audit, ClientAddresses addresses, Clock clock,
                      Duration maxSkew, AnonymousDenials anonymous) {
        this.anonymous = anonymous;
        this.db = db;
        this.devices = devices;
        this.nonces = new NonceStore(clock, maxSkew);
        this.audit = audit;
        this.addresses = addresses;
        this.clock = clock;
        this.maxSkew = maxSkew;
    }

    /**
     * The purge of the nonces this guard records, on this guard's skew: one that used a shorter
     * skew than the guard's would delete nonces a replay could still carry.
     */
    public NoncePurger noncePurger() {
        return new NoncePurger(db, clock, maxSkew);
    }

    /** Routes signed by a registered device: the handler runs only for a verified request. */
    void signedByDevice(Context ctx, Routes.AgentHandler handler) throws Exception {
        AgentRequest request = verifyDevice(ctx);
        handler.handle(ctx, request);
        request.finish();
    }

    /**
     * Registration, signed with the key whose public half is in the body (proof of possession):
     * the handler reads and checks the body first (400 before 401, as for every route that
     * parses), the guard verifies with the key it names, then the handler acts.
     */
    <T> void selfSigned(Context ctx, Routes.RegistrationHandler<T> handler) throws Exception {
        byte[] body = RequestLimits.body(ctx);
        T parsed = handler.read(ctx, body);
        AgentRequest request = verify(ctx, null, handler.publicKey(parsed), body);
        handler.handle(ctx, parsed, request);
        request.finish();
    }

    /** A request from a registered, enabled and approved device, named by the device header. */
    private AgentRequest verifyDevice(Context ctx) {
        byte[] body = RequestLimits.body(ctx);
        String deviceId = ctx.header(Headers.DEVICE);
        if (deviceId == null || deviceId.isEmpty()) {
            if (ctx.header(Headers.SIGNATURE) == null) {
                throw ApiException.unauthorized("missing-signature", "request must carry device, timestamp, nonce and signature headers");
            }
            throw ApiException.unauthorized("unknown-device", "request names no device");
        }
        if (deviceId.length() > 64) {
            throw ApiException.unauthorized("unknown-device", "no device with that id is registered");
        }
        Device device = db.read(c -> devices.byId(c, deviceId)).orElseThrow(() ->
                ApiException.unauthorized("unknown-device", "no device with that id is registered"));
        // The signature first, so only the device itself learns that it is disabled or unapproved.
        AgentRequest request = verify(ctx, device, device.publicKey(), body);
        if (device.deleted()) {
            // Refused before anything is recorded: a tombstone takes no check-in, escrow or key.
            throw ApiException.forbidden("device-deleted", "this device was deleted by an administrator;"
                    + " register it again with a registration key");
        }
        if (device.disabledAt() != null) {
            throw ApiException.forbidden("device-disabled", "this device was disabled by an administrator");
        }
        if (device.approvedAt() == null) {
            // Refused before anything is recorded: an unapproved device escrows nothing.
            throw ApiException.forbidden("device-not-approved", "this device is waiting for an administrator's approval");
        }
        return request;
    }

    /**
     * After an operating-system crash that may have lost lazily committed nonces (see
     * {@link Database#bookkeepingLostUntil}): a lost nonce belongs to a request stamped at most
     * the allowed skew after the lost commits' end, so every request stamped up to then is refused,
     * replay or not, until it would be stale anyway. The agent retries later with a fresh stamp.
     */
    private void refuseIfNonceMayBeLost(long timestampSeconds) {
        java.util.Optional<java.time.Instant> lost = db.bookkeepingLostUntil();
        if (lost.isEmpty()) {
            return;
        }
        long fenceSeconds = Math.floorDiv(lost.get().toEpochMilli(), 1000) + 1 + maxSkew.toSeconds();
        if (timestampSeconds <= fenceSeconds) {
            long wait = Math.max(1, fenceSeconds + 1 - clock.instant().getEpochSecond());
            throw new ApiException(503, "recovering-from-crash", "the server restarted after an operating-system"
                    + " crash and cannot yet tell a replay from a new request; retry with a fresh timestamp later")
                    .withRetryAfter(wait);
        }
    }

    private AgentRequest verify(Context ctx, Device device, String publicKey, byte[] body) {
        String query = ctx.queryString();
        String pathAndQuery = query == null || query.isEmpty() ? ctx.path() : ctx.path() + "?" + query;
        String[] nonceSeen = new String[1];
        // Only registered devices' stored keys are kept: a registration names its own key, so anyone
        // could otherwise push the fleet's keys out of the cache with made-up ones.
        PublicKeyCache keys = device == null ? new PublicKeyCache(1) : publicKeys;
        RequestVerifier verifier = new RequestVerifier(clock, maxSkew, (key, nonce, timestamp) -> {
            nonceSeen[0] = nonce;
            return !db.read(c -> nonces.seen(c, key, nonce));
        }, keys);
        try {
            verifier.verify(ctx.method().name(), pathAndQuery, ctx::header,
                    device == null ? null : device.id(), publicKey, body);
        } catch (SignatureCheckException e) {
            throw ApiException.unauthorized(e.code(), e.getMessage());
        }
        long timestamp = Long.parseLong(ctx.header(Headers.TIMESTAMP));
        refuseIfNonceMayBeLost(timestamp);
        return new AgentRequest(new SignedRequest(device, publicKey, nonceSeen[0], timestamp, body), addresses.resolve(ctx),
                db, nonces, audit, anonymous);
    }
}
