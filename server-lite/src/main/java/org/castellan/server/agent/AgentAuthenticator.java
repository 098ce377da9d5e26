package org.castellan.server.agent;

import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import org.castellan.protocol.Headers;
import org.castellan.protocol.signing.RequestVerifier;
import org.castellan.protocol.signing.SignatureCheckException;
import org.castellan.server.db.Database;
import org.castellan.server.devices.Device;
import org.castellan.server.devices.DeviceStore;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.RequestLimits;

/**
 * Checks agent request signatures (promise 4): the canonical path is the request path plus its
 * query string, the body the exact bytes received.
 */
public final class AgentAuthenticator {
    private final Database db;
    private final DeviceStore devices;
    private final NonceStore nonces;
    private final Clock clock;
    private final Duration maxSkew;

    public AgentAuthenticator(Database db, DeviceStore devices, NonceStore nonces, Clock clock, Duration maxSkew) {
        this.db = db;
        this.devices = devices;
        this.nonces = nonces;
        this.clock = clock;
        this.maxSkew = maxSkew;
    }

    /** A request from a registered device, named by the device header. */
    public SignedRequest device(Context ctx) {
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
        SignedRequest signed = verify(ctx, device, device.publicKey(), body);
        if (device.disabledAt() != null) {
            throw ApiException.forbidden("device-disabled", "this device was disabled by an administrator");
        }
        if (device.approvedAt() == null) {
            // Refused before anything is recorded: an unapproved device escrows nothing.
            throw ApiException.forbidden("device-not-approved", "this device is waiting for an administrator's approval");
        }
        return signed;
    }

    /** Registration: signed with the key whose public half is in the body (proof of possession). */
    public SignedRequest registration(Context ctx, String publicKey, byte[] body) {
        return verify(ctx, null, publicKey, body);
    }

    private SignedRequest verify(Context ctx, Device device, String publicKey, byte[] body) {
        String query = ctx.queryString();
        String pathAndQuery = query == null || query.isEmpty() ? ctx.path() : ctx.path() + "?" + query;
        String[] nonceSeen = new String[1];
        RequestVerifier verifier = new RequestVerifier(clock, maxSkew, (key, nonce, timestamp) -> {
            nonceSeen[0] = nonce;
            return !db.read(c -> nonces.seen(c, key, nonce));
        });
        try {
            verifier.verify(ctx.method().name(), pathAndQuery, ctx::header,
                    device == null ? null : device.id(), publicKey, body);
        } catch (SignatureCheckException e) {
            throw ApiException.unauthorized(e.code(), e.getMessage());
        }
        long timestamp = Long.parseLong(ctx.header(Headers.TIMESTAMP));
        return new SignedRequest(device, publicKey, nonceSeen[0], timestamp, body);
    }
}
