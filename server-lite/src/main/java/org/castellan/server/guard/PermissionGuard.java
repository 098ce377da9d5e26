package org.castellan.server.guard;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.castellan.server.access.EffectiveAccess;
import org.castellan.server.access.Permission;
import org.castellan.server.db.Database;
import org.castellan.server.devices.Device;
import org.castellan.server.devices.DeviceStore;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.TextRules;
import org.castellan.server.ratelimit.LimitKeys;
import org.castellan.server.ratelimit.RateDecision;
import org.castellan.server.ratelimit.RateLimiter;
import org.castellan.server.users.Principal;

/**
 * The permission guard: may this caller use a permission on this device? Admins bypass the
 * rules; everyone else gets what the active rules grant ({@link AccessDecision}). Unknown device
 * ids answer non-admins exactly like devices they may not touch (403, no IDOR oracle). For secret
 * permissions a disabled or unapproved device answers 409, a missing required reason 400
 * {@code reason-required}, a rule's {@code requireSecondFactorMinutes} not met 403
 * {@value #SECOND_FACTOR_REQUIRED} (an API token never meets it: it carries no second factor; a
 * console session meets it with a TOTP code or the identity provider's MFA within those minutes),
 * and the per-principal reveal limit 429. Every refusal, a missing token
 * included, is recorded by {@link AccessAudit}; the grant is recorded by {@link DeviceGrant#use}.
 */
public final class PermissionGuard {
    private static final Pattern ID_LIKE = Pattern.compile("[A-Za-z0-9-]{1,64}");
    private final CallerGuard callers;
    private final AccessDecision decisions;
    private final AccessAudit accessAudit;
    private final DeviceStore devices;
    private final RateLimiter revealLimiter;
    private final Database db;
    private final AnonymousDenials anonymous;

    public PermissionGuard(CallerGuard callers, AccessDecision decisions, AccessAudit accessAudit, DeviceStore devices,
                           RateLimiter revealLimiter, Database db, AnonymousDenials anonymous) {
        this.anonymous = anonymous;
        this.callers = callers;
        this.decisions = decisions;
        this.accessAudit = accessAudit;
        this.devices = devices;
        this.revealLimiter = revealLimiter;
        this.db = db;
    }

    /** The device is the route's {@code {id}}. */
    void onDevice(Context ctx, Permission permission, String action, Routes.DeviceHandler handler) throws Exception {
        onDevice(ctx, CallerSource.api(callers), permission, action, handler);
    }

    /** The same decision for a caller from {@code source} (the API's bearer token, or a console session). */
    void onDevice(Context ctx, CallerSource source, Permission permission, String action, Routes.DeviceHandler handler)
            throws Exception {
        String deviceId = ctx.pathParam("id");
        String recordedId = deviceId != null && ID_LIKE.matcher(deviceId).matches() ? deviceId : null;
        Caller caller = caller(ctx, source, permission, action, recordedId);
        try {
            String reason = TextRules.reason(source.reason(ctx));
            Principal principal = caller.principal();
            Optional<Device> found = recordedId == null ? Optional.empty() : db.read(c -> devices.byId(c, recordedId));
            if (found.isEmpty()) {
                deny(caller, permission, action, recordedId, null, reason, "no such device", List.of());
                throw principal.admin() ? ApiException.notFound("device-not-found", "no device with that id")
                        : Refusals.forbidden();
            }
            Device device = found.get();
            EffectiveAccess access = db.read(c -> decisions.of(c, principal).asIfActive(device));
            DeviceGrant grant = decide(caller, permission, action, device, access, reason);
            if (permission.revealsSecret()) {
                limitReveals(caller, permission, action, device, reason);
            }
            handler.handle(ctx, grant);
        } finally {
            caller.finish();
        }
    }

    /** The devices come from the handler's search ({@link DeviceSearch#permitted}). */
    void acrossDevices(Context ctx, Permission permission, String action, Routes.SearchHandler handler)
            throws Exception {
        acrossDevices(ctx, CallerSource.api(callers), permission, action, handler);
    }

    /** The same for a caller from {@code source} (the API's bearer token, or a console session). */
    void acrossDevices(Context ctx, CallerSource source, Permission permission, String action,
                       Routes.SearchHandler handler) throws Exception {
        Caller caller = caller(ctx, source, permission, action, null);
        try {
            String reason = TextRules.reason(source.reason(ctx));
            handler.handle(ctx, new DeviceSearch(caller, this, accessAudit, permission, action, reason));
        } finally {
            caller.finish();
        }
    }

    List<DeviceGrant> permitted(DeviceSearch search, List<Device> candidates) {
        Caller caller = search.caller();
        Permission permission = search.permission();
        if (permission.revealsSecret()) {
            limitReveals(caller, permission, search.action(), null, search.reason());
        }
        // The rights answer inside the read that loaded them (each device's group memberships are read there).
        List<EffectiveAccess> answers = db.read(c -> {
            AccessDecision.CallerAccess rights = decisions.of(c, caller.principal());
            List<EffectiveAccess> each = new ArrayList<>(candidates.size());
            for (Device device : candidates) {
                each.add(rights.asIfActive(device));
            }
            return each;
        });
        List<DeviceGrant> out = new ArrayList<>();
        ApiException actionable = null;
        for (int i = 0; i < candidates.size(); i++) {
            Device device = candidates.get(i);
            try {
                out.add(decide(caller, permission, search.action(), device, answers.get(i), search.reason()));
            } catch (ApiException refused) {
                // Already audited by decide(); the device is simply not in the answer, unless the
                // caller can do something about it (give a reason, show a second factor).
                if (actionable == null && (SECOND_FACTOR_REQUIRED.equals(refused.code())
                        || "reason-required".equals(refused.code()))) {
                    actionable = refused;
                }
            }
        }
        if (out.isEmpty() && actionable != null) {
            throw actionable;
        }
        return out;
    }

    /**
     * The caller, or 401 with the attempt on record as {@code anonymous}: coalesced per client
     * address and window, and 429 past the anonymous limit ({@link AnonymousDenials}).
     */
    private Caller caller(Context ctx, CallerSource source, Permission permission, String action, String recordedId) {
        Optional<Caller> caller = source.caller(ctx);
        if (caller.isEmpty()) {
            accessAudit.countAnonymousDenial(permission);
            RateDecision limited = anonymous.denied(callers.client(ctx), action, recordedId,
                    "missing, unknown, revoked or expired API token");
            if (!limited.allowed()) {
                throw ApiException.tooManyRequests("rate-limited",
                        "too many requests without a valid API token from this address; try again later",
                        limited.retryAfterSeconds());
            }
            throw callers.refusal(ctx);
        }
        return caller.get();
    }

    /** The rules' answer for one existing device (evaluated as if active); a refusal is recorded and thrown. */
    private DeviceGrant decide(Caller caller, Permission permission, String action, Device device, EffectiveAccess access,
                               String reason) {
        if (!access.allows(permission)) {
            deny(caller, permission, action, device.id(), device, reason, "no rule grants " + permission.wireName(),
                    access.matchingRules());
            throw Refusals.forbidden();
        }
        if (permission.guardedLikeASecret()) {
            if (device.disabledAt() != null || device.approvedAt() == null) {
                String code = device.disabledAt() != null ? "device-disabled" : "device-not-approved";
                deny(caller, permission, action, device.id(), device, reason, code, access.rulesGranting(permission));
                throw ApiException.conflict(code, device.disabledAt() != null
                        ? "this device is disabled; " + (permission.revealsSecret() ? "its secrets cannot be revealed"
                                : permission.wireName() + " is refused")
                        : "this device is waiting for approval; " + (permission.revealsSecret()
                                ? "its secrets cannot be revealed" : permission.wireName() + " is refused"));
            }
            if (reason == null && access.requiresReasonFor(permission)) {
                deny(caller, permission, action, device.id(), device, reason, "reason-required",
                        access.rulesGranting(permission));
                throw ApiException.badRequest("reason-required", "a rule granting this requires a reason: give --reason TEXT (API: ?reason=TEXT)");
            }
            Integer within = access.secondFactorWithinMinutesFor(permission);
            if (within != null && !secondFactorFresh(caller, within)) {
                String why = !caller.console() ? "second factor required (API token)"
                        : caller.secondFactorAt() == null ? "second factor required (none shown this session)"
                        : "second factor required (last shown " + caller.secondFactorAt() + ", over " + within
                                + " min ago)";
                deny(caller, permission, action, device.id(), device, reason, why, access.rulesGranting(permission));
                throw secondFactorRequired(caller, within, device);
            }
        }
        return new DeviceGrant(caller, device, permission, action, access, reason, accessAudit);
    }

    /** A second factor shown by this caller within the last {@code minutes} (API tokens never show one). */
    private boolean secondFactorFresh(Caller caller, int minutes) {
        java.time.Instant at = caller.secondFactorAt();
        return caller.console() && at != null
                && !at.isBefore(decisions.now().minus(java.time.Duration.ofMinutes(minutes)));
    }

    /**
     * 403 {@value #SECOND_FACTOR_REQUIRED}: the console answers with its step-up page; an API token
     * (the CLI) is told where it can be done, since a bearer token carries no second factor.
     */
    private static ApiException secondFactorRequired(Caller caller, int minutes, Device device) {
        String message = caller.console()
                ? "A rule granting this asks for your second factor within the last " + minutes + " minutes."
                : "a rule granting this requires a second factor within the last " + minutes
                        + " minutes, which an API token cannot show: read it in the web console (/devices/"
                        + device.id() + "), where you confirm it with your authenticator app or single sign-on";
        return new ApiException(403, SECOND_FACTOR_REQUIRED, message);
    }

    /** The error code of a refusal for want of a fresh second factor. */
    public static final String SECOND_FACTOR_REQUIRED = "second-factor-required";

    private void limitReveals(Caller caller, Permission permission, String action, Device device, String reason) {
        RateDecision decision = revealLimiter.tryAcquire(LimitKeys.principal(caller.principal().id()));
        if (!decision.allowed()) {
            deny(caller, permission, action, device == null ? null : device.id(), device, reason, "rate-limited",
                    List.of());
            throw ApiException.tooManyRequests("rate-limited", "too many reveals; try again later",
                    decision.retryAfterSeconds());
        }
    }

    private void deny(Caller caller, Permission permission, String action, String deviceId, Device device,
                      String reason, String why, List<org.castellan.server.access.Rule> rulesToNotify) {
        caller.write(c -> {
            accessAudit.denied(c, new AccessAudit.Denial(caller.principal().id(), action, permission, deviceId, device,
                    reason, caller.clientAddress(), why, rulesToNotify));
            return null;
        });
    }
}
