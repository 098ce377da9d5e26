package org.castellan.server.admin;

import io.javalin.http.Context;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.castellan.api.DeviceView;
import org.castellan.api.Purged;
import org.castellan.api.RotationRequested;
import org.castellan.server.audit.AuditActions;
import org.castellan.server.db.Database;
import org.castellan.server.ratelimit.LimitKeys;
import org.castellan.server.ratelimit.RateDecision;
import org.castellan.server.ratelimit.SlidingWindowLimiter;
import org.castellan.server.access.DeviceGroup;
import org.castellan.server.devices.Device;
import org.castellan.server.devices.DeviceQuery;
import org.castellan.server.devices.DeviceScope;
import org.castellan.server.devices.DeviceStore;
import org.castellan.server.groups.DeviceGroupRow;
import org.castellan.server.groups.SqlDeviceGroupStore;
import org.castellan.server.guard.AccessDecision;
import org.castellan.server.guard.Audited;
import org.castellan.server.guard.Caller;
import org.castellan.server.guard.DeviceGrant;
import org.castellan.server.guard.Refusals;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.JsonBody;
import org.castellan.server.http.Paging;
import org.castellan.server.http.Responses;
import org.castellan.server.http.TextRules;
import org.castellan.server.recovery.UnprotectedVolumes;
import org.castellan.server.rotation.Rotation;
import org.castellan.server.rotation.RotationStore;
import org.castellan.server.users.Principal;

/**
 * {@code /api/v1/devices}: list and look up (only devices the caller has some permission on),
 * ask a device to rotate, and the lifecycle: approve, disable, enable, delete, purge.
 *
 * <p>Delete leaves a tombstone (promise 1: no single call destroys the last password): the device
 * leaves the lists ({@code ?deleted=true} lists the tombstones), its agent is refused, and its
 * passwords and recovery keys stay revealable, audited, for the retention period, after which the
 * retention job purges them. An admin can purge a tombstone earlier, with a reason.
 */
public final class DeviceRoutes {
    private final Database db;
    private final DeviceStore devices;
    private final RotationStore rotations;
    private final SqlDeviceGroupStore groups;
    private final AccessDecision decisions;
    private final java.time.Duration retention;
    private final Clock clock;
    private final SlidingWindowLimiter deniedLookups;

    /** @param deniedLookups bounds a non-admin's look-ups that find nothing they may see, as reveals are bounded */
    public DeviceRoutes(Database db, DeviceStore devices, RotationStore rotations, SqlDeviceGroupStore groups,
                        AccessDecision decisions, java.time.Duration retention, Clock clock,
                        SlidingWindowLimiter deniedLookups) {
        this.deniedLookups = deniedLookups;
        this.db = db;
        this.retention = retention;
        this.devices = devices;
        this.rotations = rotations;
        this.groups = groups;
        this.decisions = decisions;
        this.clock = clock;
    }

    public void list(Context ctx, Caller caller) {
        String hostname = ctx.queryParam("hostname");
        if (hostname != null) {
            TextRules.hostname(hostname);
        }
        boolean deleted = deletedParam(ctx.queryParam("deleted"));
        String similar = ctx.queryParam("similar");
        if (similar != null) {
            if (hostname != null || ctx.queryParam("after") != null) {
                throw ApiException.badRequest("invalid-similar", "similar cannot be combined with hostname or after");
            }
            Responses.ok(ctx, similar(caller.principal(), TextRules.hostname(similar), deleted));
            return;
        }
        Paging paging = Paging.of(ctx);
        int limit = paging.limit();
        List<DeviceView> views = page(caller.principal(), hostname, paging.after(), limit, deleted);
        if (views.size() > limit) {
            views = views.subList(0, limit);
            Paging.next(ctx, views.get(limit - 1).id());
        }
        if (hostname != null && views.isEmpty()) {
            nothingVisibleNamed(caller, hostname);
        }
        Responses.ok(ctx, views);
    }

    /**
     * The live devices named {@code hostname} (exactly, case-insensitively) that the caller may see,
     * at most two; finding none is on record and bounded exactly as for the API's
     * {@code ?hostname=} look-up. Shared with the console's look-ups by name.
     */
    public List<DeviceView> byHostname(Caller caller, String hostname) {
        TextRules.hostname(hostname);
        List<DeviceView> found = page(caller.principal(), hostname, null, 1, false);
        if (found.isEmpty()) {
            nothingVisibleNamed(caller, hostname);
        }
        return found;
    }

    private void nothingVisibleNamed(Caller caller, String hostname) {
        if (caller.principal().admin()) {
            return;
        }
        // The scoped query never returns a device the caller may not see: look the name up
        // unscoped, only to name the hidden device in the denial.
        String hidden = db.read(c -> devices.page(c, new DeviceQuery(DeviceScope.ALL, hostname, "", 1)).stream()
                .map(Device::id).findFirst().orElse(null));
        deniedLookup(caller, hostname, hidden);
    }

    /**
     * Devices the principal may see, in id order after {@code afterId}, with exactly {@code hostname}
     * when it is set, live ones or only tombstones ({@code deleted}): at most {@code limit}, plus one
     * more when another page follows. Shared by the API's list and the console's device list.
     */
    public List<DeviceView> page(Principal principal, String hostname, String afterId, int limit, boolean deleted) {
        return db.read(c -> {
            AccessDecision.CallerAccess rights = decisions.of(c, principal);
            DeviceScope scope = rights.scope();
            List<DeviceGroupRow> allGroups = accessGroups(c);
            List<DeviceView> out = new ArrayList<>();
            // Keyset pages from the database, in id order; the scope narrows them in SQL and each
            // row is confirmed with the full access decision. One row more than asked says another
            // page exists.
            String after = afterId;
            while (out.size() <= limit) {
                List<Device> batch = devices.page(c, new DeviceQuery(scope, hostname, after, limit + 1, deleted));
                for (Device device : batch) {
                    if (out.size() <= limit && rights.maySee(device)) {
                        out.add(view(c, device, allGroups));
                    }
                }
                if (batch.size() <= limit) {
                    break;
                }
                after = batch.get(batch.size() - 1).id();
            }
            return out;
        });
    }

    /**
     * {@code ?similar=NAME}: at most three devices the principal may see whose host names are a
     * typo away from NAME, nearest first, found with bounded work at any fleet size
     * ({@link org.castellan.server.devices.CloseHostnames}); for "did you mean" after a failed look-up.
     */
    public List<DeviceView> similar(Principal principal, String typed, boolean deleted) {
        return db.read(c -> {
            AccessDecision.CallerAccess rights = decisions.of(c, principal);
            List<DeviceGroupRow> allGroups = accessGroups(c);
            List<DeviceView> out = new ArrayList<>();
            for (Device d : org.castellan.server.devices.CloseHostnames.find(c, devices, typed, deleted, rights::maySee)) {
                out.add(view(c, d, allGroups));
            }
            return out;
        });
    }

    /**
     * A look-up by name that found nothing the caller may see is evidence (someone asking for a host
     * they may not read): audited as denied, naming the device when one of that name exists, and
     * bounded per user like reveals; past the bound, 429 (also on record).
     */
    private void deniedLookup(Caller caller, String hostname, String hiddenDeviceId) {
        RateDecision decision = deniedLookups.tryAcquire(LimitKeys.principal(caller.principal().id()));
        String detail = "hostname " + hostname + (hiddenDeviceId == null ? ": no such device" : ": not visible to this user");
        caller.denied(AuditActions.DEVICE_LOOKUP, hiddenDeviceId, decision.allowed() ? detail : "rate-limited; " + detail);
        if (!decision.allowed()) {
            throw ApiException.tooManyRequests("rate-limited", "too many look-ups of devices you may not see; try again later",
                    decision.retryAfterSeconds());
        }
    }

    public void get(Context ctx, Caller caller) {
        Responses.ok(ctx, lookup(caller.principal(), ctx.pathParam("id")));
    }

    /** One device the principal has some permission on (else 403; 404 only for admins); shared with the console. */
    public DeviceView lookup(Principal principal, String id) {
        return db.read(c -> {
            Device device = devices.byId(c, id).orElse(null);
            if (device == null) {
                throw principal.admin() ? ApiException.notFound("device-not-found", "no device with that id")
                        : Refusals.forbidden();
            }
            if (!decisions.of(c, principal).maySee(device)) {
                throw Refusals.forbidden();
            }
            return view(c, device, accessGroups(c));
        });
    }

    /**
     * True when the rules give the principal {@code permission} on the device (as if it were active,
     * as the permission guard decides): for a page to offer only the actions the guard will allow.
     * The guard still decides each request.
     */
    public boolean holds(Principal principal, String id, org.castellan.server.access.Permission permission) {
        return db.read(c -> {
            Device device = devices.byId(c, id).orElse(null);
            return device != null && decisions.of(c, principal).asIfActive(device).allows(permission);
        });
    }

    private static boolean deletedParam(String value) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw ApiException.badRequest("invalid-deleted", "deleted must be true or false");
    }

    /** 409 {@code device-deleted} for what a tombstone cannot do (rotate, approve, be deleted again). */
    private static void requireNotDeleted(Device device) {
        if (device.deleted()) {
            throw ApiException.conflict("device-deleted", "this device was deleted at " + device.deletedAt()
                    + "; its secrets stay readable until purged (POST /api/v1/devices/{id}/purge)");
        }
    }

    /**
     * Devices whose host name starts with {@code prefix} (case-insensitively) that the principal may
     * see, in (lower-case host name, id) order after the keyset cursor {@code after}; at most
     * {@code limit}, plus one more when another page follows.
     */
    public List<DeviceView> search(Principal principal, String prefix, String after, int limit) {
        return db.read(c -> {
            AccessDecision.CallerAccess rights = decisions.of(c, principal);
            List<DeviceGroupRow> allGroups = accessGroups(c);
            List<DeviceView> out = new ArrayList<>();
            String cursor = after;
            while (out.size() <= limit) {
                List<Device> batch = devices.searchPrefix(c, prefix, cursor, 200);
                for (Device device : batch) {
                    if (out.size() <= limit && rights.maySee(device)) {
                        out.add(view(c, device, allGroups));
                    }
                }
                if (batch.size() < 200) {
                    break;
                }
                Device last = batch.get(batch.size() - 1);
                cursor = cursor(last.hostname(), last.id());
            }
            return out;
        });
    }

    /** The keyset cursor after a device: its lower-case host name and id. */
    public static String cursor(String hostname, String id) {
        return hostname.toLowerCase(java.util.Locale.ROOT) + " " + id;
    }

    /** Asks the grant's device to rotate at its next check-in; shared with the console. */
    public Instant rotate(DeviceGrant grant) {
        requireNotDeleted(grant.device());
        Instant now = clock.instant();
        grant.use(c -> {
            devices.requestRotation(c, grant.device().id(), now);
            return Audited.of(null, null);
        });
        return now;
    }

    public void requestRotation(Context ctx, DeviceGrant grant) {
        Responses.json(ctx, 202, new RotationRequested(rotate(grant)));
    }

    public void approve(Context ctx, DeviceGrant grant) {
        Responses.ok(ctx, approve(grant));
    }

    public void disable(Context ctx, DeviceGrant grant) {
        Responses.ok(ctx, disable(grant));
    }

    public void enable(Context ctx, DeviceGrant grant) {
        Responses.ok(ctx, enable(grant));
    }

    public void delete(Context ctx, DeviceGrant grant) {
        delete(grant);
        ctx.status(204);
    }

    /** Approves a waiting device (409 {@code device-deleted} for a tombstone); shared with the console. */
    public DeviceView approve(DeviceGrant grant) {
        requireNotDeleted(grant.device());
        Instant now = clock.instant();
        return lifecycle(grant, c -> devices.approve(c, grant.device().id(), now));
    }

    public DeviceView disable(DeviceGrant grant) {
        Instant now = clock.instant();
        return lifecycle(grant, c -> devices.setDisabled(c, grant.device().id(), now));
    }

    public DeviceView enable(DeviceGrant grant) {
        return lifecycle(grant, c -> devices.setDisabled(c, grant.device().id(), null));
    }

    /**
     * Makes the device a tombstone whose secrets stay revealable until the retention ends (returned)
     * or an explicit purge; 409 {@code device-deleted} when it already is one. Shared with the console.
     */
    public Instant delete(DeviceGrant grant) {
        Device device = grant.device();
        requireNotDeleted(device);
        Instant now = clock.instant();
        grant.use(c -> {
            devices.markDeleted(c, device.id(), now);
            return Audited.of(null, "hostname " + device.hostname() + "; passwords and recovery keys kept until "
                    + now.plus(retention) + " (retention " + retention.toDays() + " days) or an explicit purge");
        });
        return now.plus(retention);
    }

    /** The body of an explicit purge: the reason is required. */
    public record PurgeRequest(String reason) {}

    /** {@code POST /api/v1/devices/{id}/purge} (admin): a tombstone's secrets and row, now, with a reason. */
    public void purge(Context ctx, Caller admin) {
        Responses.ok(ctx, purge(admin, ctx.pathParam("id"), JsonBody.read(ctx, PurgeRequest.class).reason()));
    }

    /** A tombstone's secrets and row, now, with a required reason, audited; shared with the console. */
    public Purged purge(Caller admin, String id, String givenReason) {
        String reason = TextRules.requiredReason(givenReason);
        Purged purged = admin.act(AuditActions.DEVICE_PURGE, id, reason, c -> {
            Device device = devices.byId(c, id).orElseThrow(() ->
                    ApiException.notFound("device-not-found", "no device with that id"));
            if (!device.deleted()) {
                throw ApiException.conflict("device-not-deleted",
                        "only a deleted device can be purged: delete it first (DELETE /api/v1/devices/{id})");
            }
            DeviceStore.Purged gone = devices.purge(c, id);
            return Audited.of(new Purged(id, true, gone.passwords(), gone.recoveryKeys()),
                    org.castellan.server.retention.TombstonePurger.describe(gone, device) + " by an administrator");
        });
        return purged;
    }

    private interface Change {
        void apply(Connection c) throws SQLException;
    }

    private DeviceView lifecycle(DeviceGrant grant, Change change) {
        String id = grant.device().id();
        return grant.use(c -> {
            change.apply(c);
            return Audited.of(view(c, devices.byId(c, id).orElseThrow(), accessGroups(c)), null);
        });
    }

    /** Group definitions only: each device's explicit memberships are read with its view. */
    private List<DeviceGroupRow> accessGroups(Connection c) throws SQLException {
        return groups.definitions(c);
    }

    private DeviceView view(Connection c, Device d, List<DeviceGroupRow> allGroups) throws SQLException {
        Instant rotatedAt = rotations.current(c, d.id()).map(Rotation::committedAt).orElse(null);
        boolean pending = !rotations.pending(c, d.id()).isEmpty();
        List<String> groupIds = new ArrayList<>();
        for (DeviceGroup g : DeviceGroupRow.asSeenBy(allGroups, d.id(), groups.explicitGroupsOf(c, d.id()))) {
            if (g.contains(d.facts())) {
                groupIds.add(g.id());
            }
        }
        return new DeviceView(d.id(), d.hostname(), d.os(), d.osVersion(), d.agentVersion(), d.account(),
                d.accountProblem(), d.registeredAt(), d.lastSeenAt(), rotatedAt, pending, d.rotateRequestedAt(),
                d.warnings(), d.status(), groupIds, UnprotectedVolumes.of(c, d.id()), d.deletedAt(),
                d.deletedAt() == null ? null : d.deletedAt().plus(retention));
    }
}
