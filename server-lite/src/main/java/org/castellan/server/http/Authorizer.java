package org.castellan.server.http;

import io.javalin.http.Context;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.castellan.server.access.AccessEvaluator;
import org.castellan.server.access.DeviceFacts;
import org.castellan.server.access.DeviceGroup;
import org.castellan.server.access.EffectiveAccess;
import org.castellan.server.access.Permission;
import org.castellan.server.access.PrincipalRef;
import org.castellan.server.access.Rule;
import org.castellan.server.audit.AuditEvent;
import org.castellan.server.audit.AuditLog;
import org.castellan.server.db.Database;
import org.castellan.server.db.StorageException;
import org.castellan.server.devices.Device;
import org.castellan.server.devices.DeviceStore;
import org.castellan.server.groups.DeviceGroupRow;
import org.castellan.server.groups.SqlDeviceGroupStore;
import org.castellan.server.groups.SqlUserGroupStore;
import org.castellan.server.notify.NotificationEvent;
import org.castellan.server.notify.NotificationOutbox;
import org.castellan.server.ratelimit.LimitKeys;
import org.castellan.server.ratelimit.RateDecision;
import org.castellan.server.ratelimit.SlidingWindowLimiter;
import org.castellan.server.rules.SqlRuleStore;
import org.castellan.server.users.Principal;
import org.castellan.server.users.Tokens;
import org.castellan.server.users.UserStore;

/**
 * The one authorization entry point of the admin API (promise 3).
 *
 * <ul>
 *   <li>{@link #authenticate}: a live bearer token (not expired, not revoked, user enabled) or 401;
 *       records the token's last use.</li>
 *   <li>{@link #requireAdmin}: additionally the built-in admin role, else 403 {@code forbidden}.</li>
 *   <li>{@link #authorize}: may this caller use {@code permission} on this device? Admins bypass
 *       the rules; everyone else gets what the active rules grant ({@link AccessEvaluator}). Unknown
 *       device ids answer non-admins exactly like devices they may not touch (403, no IDOR
 *       oracle). For secret permissions a disabled or unapproved device answers 409, a missing
 *       required reason 400 {@code reason-required}, and the per-principal reveal limit 429. Every
 *       refusal is audited (with the principal, device, reason and client address) and notifies
 *       the matching rules' channels; the grant is audited by the caller through
 *       {@link #recordGranted}, in the transaction that reads the secret.</li>
 * </ul>
 */
public final class Authorizer {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Authorizer.class);
    private static final Pattern ID_LIKE = Pattern.compile("[A-Za-z0-9-]{1,64}");
    private final Database db;
    private final UserStore users;
    private final SqlUserGroupStore userGroups;
    private final SqlDeviceGroupStore deviceGroups;
    private final SqlRuleStore rules;
    private final DeviceStore devices;
    private final AuditLog audit;
    private final NotificationOutbox outbox;
    private final SlidingWindowLimiter revealLimiter;
    private final ClientAddresses addresses;
    private final Metrics metrics;
    private final Clock clock;

    public Authorizer(Database db, UserStore users, SqlUserGroupStore userGroups, SqlDeviceGroupStore deviceGroups,
                      SqlRuleStore rules, DeviceStore devices, AuditLog audit, NotificationOutbox outbox,
                      SlidingWindowLimiter revealLimiter, ClientAddresses addresses, Metrics metrics, Clock clock) {
        this.db = db;
        this.users = users;
        this.userGroups = userGroups;
        this.deviceGroups = deviceGroups;
        this.rules = rules;
        this.devices = devices;
        this.audit = audit;
        this.outbox = outbox;
        this.revealLimiter = revealLimiter;
        this.addresses = addresses;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** The caller, or empty when the token is missing, unknown, revoked, expired or its user disabled. */
    public Optional<Principal> tryAuthenticate(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = header.substring(7).trim();
        if (!token.startsWith(Tokens.API_TOKEN_PREFIX) || token.length() > 100) {
            return Optional.empty();
        }
        String hash = Tokens.hash(token);
        Instant now = clock.instant();
        Optional<Principal> principal = db.read(c -> users.principalForToken(c, hash, now));
        principal.ifPresent(p -> touch(p, now));
        return principal;
    }

    /**
     * Records the token's last use; bookkeeping, so a busy database or a full disk does not stop a
     * lookup that writes nothing else (what must be audited still fails closed in its own write).
     */
    private void touch(Principal p, Instant now) {
        try {
            db.write(c -> {
                users.touchToken(c, p.tokenId(), now);
                return null;
            });
        } catch (StorageException e) {
            if (e.unavailableCode() == null) {
                throw e;
            }
            LOG.warn("token last-use not recorded ({}): {}", e.unavailableCode(), e.toString());
        }
    }

    public Principal authenticate(Context ctx) {
        return tryAuthenticate(ctx).orElseThrow(Authorizer::unauthorized);
    }

    public Principal requireAdmin(Context ctx) {
        Principal principal = authenticate(ctx);
        if (!principal.admin()) {
            throw forbidden();
        }
        return principal;
    }

    public String clientAddress(Context ctx) {
        return addresses.of(ctx);
    }

    /**
     * Authenticates, then checks {@code permission} on {@code deviceId}; see the class comment.
     * Reads the optional {@code reason} query parameter.
     *
     * @param auditAction the action name refusals are audited under (e.g. {@code password.reveal})
     */
    public AuthorizedDevice authorize(Context ctx, Permission permission, String deviceId, String auditAction) {
        Caller caller = caller(ctx, permission, deviceId, auditAction);
        Principal principal = caller.principal();
        String recordedId = deviceId != null && ID_LIKE.matcher(deviceId).matches() ? deviceId : null;
        Optional<Device> found = recordedId == null ? Optional.empty() : db.read(c -> devices.byId(c, recordedId));
        if (found.isEmpty()) {
            deny(caller.denial(recordedId, "no such device"), null, List.of(), permission);
            throw principal.admin() ? ApiException.notFound("device-not-found", "no device with that id") : forbidden();
        }
        AuthorizedDevice granted = decide(caller, permission, found.get(), auditAction);
        if (permission.revealsSecret()) {
            RateDecision decision = revealLimiter.tryAcquire(LimitKeys.principal(principal.id()));
            if (!decision.allowed()) {
                deny(caller.denial(found.get().id(), "rate-limited"), found.get(), List.of(), permission);
                throw ApiException.tooManyRequests("rate-limited", "too many reveals; try again later",
                        decision.retryAfterSeconds());
            }
        }
        return granted;
    }

    /**
     * For searches that span devices (e.g. a recovery key looked up by id prefix): the devices
     * among {@code candidates} the caller may use {@code permission} on. Each refusal is audited
     * and notified like in {@link #authorize} but leaves the device out instead of failing; the
     * search counts once against the reveal limit. Throws only for authentication (401) and the
     * rate limit (429).
     */
    public List<AuthorizedDevice> authorizeEach(Context ctx, Permission permission, List<Device> candidates,
                                                String auditAction) {
        Caller caller = caller(ctx, permission, null, auditAction);
        if (permission.revealsSecret()) {
            RateDecision decision = revealLimiter.tryAcquire(LimitKeys.principal(caller.principal().id()));
            if (!decision.allowed()) {
                deny(caller.denial(null, "rate-limited"), null, List.of(), permission);
                throw ApiException.tooManyRequests("rate-limited", "too many reveals; try again later",
                        decision.retryAfterSeconds());
            }
        }
        List<AuthorizedDevice> out = new ArrayList<>();
        for (Device device : candidates) {
            try {
                out.add(decide(caller, permission, device, auditAction));
            } catch (ApiException refused) {
                // Already audited by decide(); the device is simply not in the answer.
            }
        }
        return out;
    }

    /** Who is asking, with the reason and address every audit row of this request carries. */
    private record Caller(Principal principal, String reason, String client, String auditAction) {
        AuditEvent denial(String deviceId, String detail) {
            return new AuditEvent(principal.id(), auditAction, "denied", deviceId, reason, client, detail);
        }
    }

    private Caller caller(Context ctx, Permission permission, String deviceId, String auditAction) {
        String client = addresses.of(ctx);
        Optional<Principal> authenticated = tryAuthenticate(ctx);
        if (authenticated.isEmpty()) {
            String recordedId = deviceId != null && ID_LIKE.matcher(deviceId).matches() ? deviceId : null;
            deny(new AuditEvent("anonymous", auditAction, "denied", recordedId, null, client,
                    "missing, unknown, revoked or expired API token"), null, List.of(), permission);
            throw unauthorized();
        }
        return new Caller(authenticated.get(), TextRules.reason(ctx.queryParam("reason")), client, auditAction);
    }

    /** The rules' answer for one existing device; a refusal is audited, notified and thrown. */
    private AuthorizedDevice decide(Caller caller, Permission permission, Device device, String auditAction) {
        Principal principal = caller.principal();
        // Evaluated as if the device were active, so a caller with rights learns why a secret is
        // withheld (409) while a caller without rights learns nothing (403).
        EffectiveAccess access = db.read(c -> principal.admin()
                ? withAllPermissions(evaluate(c, principal, asActive(device)))
                : evaluate(c, principal, asActive(device)));
        if (!access.allows(permission)) {
            deny(caller.denial(device.id(), "no rule grants " + permission.wireName()), device,
                    access.matchingRules(), permission);
            throw forbidden();
        }
        if (permission.revealsSecret()) {
            if (device.disabledAt() != null || device.approvedAt() == null) {
                String code = device.disabledAt() != null ? "device-disabled" : "device-not-approved";
                deny(caller.denial(device.id(), code), device, access.rulesGranting(permission), permission);
                throw ApiException.conflict(code, device.disabledAt() != null
                        ? "this device is disabled; its secrets cannot be revealed"
                        : "this device is waiting for approval; its secrets cannot be revealed");
            }
            if (caller.reason() == null && access.requiresReasonFor(permission)) {
                deny(caller.denial(device.id(), "reason-required"), device, access.rulesGranting(permission), permission);
                throw ApiException.badRequest("reason-required", "a rule granting this requires a reason (?reason=...)");
            }
        }
        return new AuthorizedDevice(principal, device, permission, access, caller.reason(), caller.client(), auditAction);
    }

    /**
     * Audits a granted use and queues its notifications, on the caller's transaction so the
     * record, the notification and the change they describe commit together.
     */
    public void recordGranted(Connection c, AuthorizedDevice a, String detail) throws SQLException {
        audit.append(c, new AuditEvent(a.principal().id(), a.auditAction(), "granted", a.device().id(), a.reason(),
                a.clientAddress(), detail));
        String type = eventType(a.permission());
        if (type != null) {
            NotificationEvent event = NotificationEvent.of(type, clock.instant(), a.device().id(),
                    a.device().hostname(), a.principal().id(), a.reason(),
                    a.access().rulesGranting(a.permission()).stream().map(Rule::id).toList());
            for (String channel : a.channels()) {
                outbox.enqueue(c, channel, event);
            }
        }
        if (a.permission().revealsSecret()) {
            metrics.reveal(true);
        }
    }

    /** What {@code principal} may do on {@code device} (admins: everything). */
    public EffectiveAccess accessFor(Connection c, Principal principal, Device device) throws SQLException {
        EffectiveAccess access = evaluate(c, principal, device.facts());
        return principal.admin() ? withAllPermissions(access) : access;
    }

    /** The admin role: every permission; the rules still say which reason/rotation/channels apply. */
    private static EffectiveAccess withAllPermissions(EffectiveAccess access) {
        return new EffectiveAccess(EnumSet.allOf(Permission.class), access.matchingRules(), access.requireReason(),
                access.rotateAfterReadMinutes(), access.channels());
    }

    /**
     * True when {@code principal} has any right on {@code device}, counting secret permissions
     * even while the device is disabled or unapproved: who may list and look the device up.
     */
    public boolean maySee(Connection c, Principal principal, Device device) throws SQLException {
        return principal.admin() || !evaluate(c, principal, asActive(device)).permissions().isEmpty();
    }

    /** What the given principals (e.g. one user group) get on {@code device} through rules. */
    public EffectiveAccess accessFor(Connection c, Set<PrincipalRef> principals, Device device) throws SQLException {
        return AccessEvaluator.effectiveFor(principals, device.facts(), groups(c), rules.list(c), clock.instant());
    }

    private EffectiveAccess evaluate(Connection c, Principal principal, DeviceFacts facts) throws SQLException {
        return AccessEvaluator.effective(principal.userId(), userGroups.groupsOf(c, principal.userId()), facts,
                groups(c), rules.list(c), clock.instant());
    }

    private List<DeviceGroup> groups(Connection c) throws SQLException {
        List<DeviceGroup> out = new ArrayList<>();
        for (DeviceGroupRow row : deviceGroups.list(c)) {
            out.add(row.toAccessGroup());
        }
        return out;
    }

    private void deny(AuditEvent event, Device device, List<Rule> rulesToNotify, Permission permission) {
        Instant now = clock.instant();
        db.write(c -> {
            audit.append(c, event);
            if (device != null) {
                NotificationEvent notification = NotificationEvent.of(NotificationEvent.REVEAL_DENIED, now, device.id(),
                        device.hostname(), event.principal(), event.reason(), rulesToNotify.stream().map(Rule::id).toList());
                for (String channel : rulesToNotify.stream().flatMap(r -> r.channels().stream()).distinct().toList()) {
                    outbox.enqueue(c, channel, notification);
                }
            }
            return null;
        });
        if (permission.revealsSecret()) {
            metrics.reveal(false);
        }
    }

    private static DeviceFacts asActive(Device d) {
        return new DeviceFacts(d.id(), d.hostname(), d.os(), false, true);
    }

    private static String eventType(Permission permission) {
        return switch (permission) {
            case PASSWORD_READ -> NotificationEvent.PASSWORD_REVEALED;
            case PASSWORD_HISTORY -> NotificationEvent.PASSWORD_HISTORY_READ;
            case RECOVERY_KEY_READ -> NotificationEvent.RECOVERY_KEY_REVEALED;
            case DEVICE_ROTATE -> NotificationEvent.ROTATION_REQUESTED;
            case DEVICE_MANAGE -> null;
        };
    }

    public static ApiException unauthorized() {
        return ApiException.unauthorized("unauthorized", "a valid API token is required (Authorization: Bearer cat_...)");
    }

    public static ApiException forbidden() {
        return ApiException.forbidden("forbidden", "you do not have permission for this");
    }
}
