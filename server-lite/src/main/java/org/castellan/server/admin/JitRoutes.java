package org.castellan.server.admin;

import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.castellan.api.JitGrantView;
import org.castellan.server.access.Permission;
import org.castellan.server.db.Database;
import org.castellan.server.devices.Device;
import org.castellan.server.devices.DeviceScope;
import org.castellan.server.devices.DeviceStore;
import org.castellan.server.guard.AccessDecision;
import org.castellan.server.guard.Audited;
import org.castellan.server.guard.Caller;
import org.castellan.server.guard.DeviceGrant;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.JsonBody;
import org.castellan.server.http.Paging;
import org.castellan.server.http.Responses;
import org.castellan.server.jit.JitGrantRow;
import org.castellan.server.jit.JitQuery;
import org.castellan.server.jit.SqlJitStore;
import org.castellan.server.users.Tokens;

/**
 * Just-in-time admin rights (permission {@code device.jit}): request rights for a user on one
 * device for a bounded time, approve (a second person, when a rule asks for it: never the
 * requester), revoke early, list. Each use is audited and notified by the permission guard like a
 * reveal; the device learns of active grants at its next check-in.
 */
public final class JitRoutes {
    /** The longest right one request can ask for. */
    public static final Duration MAX_DURATION = Duration.ofDays(7);
    /** Local names, {@code user@domain} and {@code DOMAIN\\user}; no spaces, quotes or control characters. */
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.@\\\\-]{0,63}");
    private final Database db;
    private final SqlJitStore grants;
    private final DeviceStore devices;
    private final AccessDecision decisions;
    private final Clock clock;

    public JitRoutes(Database db, SqlJitStore grants, DeviceStore devices, AccessDecision decisions, Clock clock) {
        this.db = db;
        this.grants = grants;
        this.devices = devices;
        this.decisions = decisions;
        this.clock = clock;
    }

    /** {@code {"user":"ann", "minutes":120}}; the reason is the guard's {@code ?reason=}. */
    public record RequestBody(String user, Long minutes) {}

    public void request(Context ctx, DeviceGrant grant) {
        refuseDeleted(grant);
        Responses.json(ctx, 201, request(grant, JsonBody.read(ctx, RequestBody.class)));
    }

    /**
     * Records a request for {@code body.user()} on the grant's device, active at once or waiting for
     * a second person's approval as the rules say; audited and notified through the grant. Shared
     * by the API and the console's just-in-time page.
     */
    public JitGrantView request(DeviceGrant grant, RequestBody body) {
        refuseDeleted(grant);
        if (body.user() == null || !USER.matcher(body.user()).matches()) {
            throw ApiException.badRequest("invalid-user", "field 'user' must be a user name of 1 to 64 letters, digits"
                    + " and _ . @ \\ - (not starting with a symbol)");
        }
        if (body.minutes() == null || body.minutes() < 1 || body.minutes() > MAX_DURATION.toMinutes()) {
            throw ApiException.badRequest("invalid-minutes", "field 'minutes' must be 1 to " + MAX_DURATION.toMinutes());
        }
        Instant now = clock.instant();
        boolean approval = grant.approvalRequired();
        Duration duration = Duration.ofMinutes(body.minutes());
        JitGrantRow row = new JitGrantRow(Tokens.newId(), grant.device().id(), body.user(), duration.toSeconds(),
                grant.reason(), grant.principal().id(), now, approval, null, null, approval ? null : now.plus(duration),
                null, null, null, null, null, List.copyOf(grant.channels()));
        grant.use(c -> {
            grants.insert(c, row);
            return Audited.of(null, "jit " + row.id() + " user " + row.account() + " for " + body.minutes() + " min"
                    + (approval ? "; waits for approval" : "; until " + row.expiresAt()));
        });
        return view(row, grant.device(), now);
    }

    public void approve(Context ctx, DeviceGrant grant) {
        Responses.ok(ctx, approve(grant, ctx.pathParam("grantId")));
    }

    /** Approves a pending request: never by its requester (403 {@code self-approval}, audited). Shared with the console. */
    public JitGrantView approve(DeviceGrant grant, String grantId) {
        refuseDeleted(grant);
        Instant now = clock.instant();
        JitGrantRow row = find(grantId, grant);
        if (row.requestedBy().equals(grant.principal().id())) {
            throw grant.refuse("self-approval: jit " + row.id(), ApiException.forbidden("self-approval",
                    "a just-in-time request must be approved by someone other than its requester"));
        }
        String status = row.status(now);
        if (!status.equals("pending")) {
            throw ApiException.conflict("not-pending", "this request is " + status + ", not waiting for approval");
        }
        Instant expiresAt = now.plusSeconds(row.durationSeconds());
        grant.use(c -> {
            if (!grants.approve(c, row.id(), grant.principal().id(), now, expiresAt)) {
                throw ApiException.conflict("not-pending", "this request is no longer waiting for approval");
            }
            return Audited.of(null, "jit " + row.id() + " user " + row.account() + " requested by "
                    + row.requestedBy() + "; until " + expiresAt);
        });
        return view(db.read(c -> grants.byId(c, row.id())).orElseThrow(), grant.device(), now);
    }

    public void revoke(Context ctx, DeviceGrant grant) {
        Responses.ok(ctx, revoke(grant, ctx.pathParam("grantId")));
    }

    /** Revokes a pending or active request early, audited; the device drops the right at its next check-in. */
    public JitGrantView revoke(DeviceGrant grant, String grantId) {
        Instant now = clock.instant();
        JitGrantRow row = find(grantId, grant);
        String status = row.status(now);
        if (!status.equals("pending") && !status.equals("active")) {
            throw ApiException.conflict("not-revocable", "this request is " + status + "; nothing to revoke");
        }
        grant.use(c -> {
            if (!grants.revoke(c, row.id(), grant.principal().id(), now)) {
                throw ApiException.conflict("not-revocable", "this request is already revoked");
            }
            return Audited.of(null, "jit " + row.id() + " user " + row.account() + " (was " + status + ")");
        });
        return view(db.read(c -> grants.byId(c, row.id())).orElseThrow(), grant.device(), now);
    }

    /**
     * {@code GET /api/v1/jit[?device=ID]}: requests on devices the caller holds {@code device.jit}
     * on, newest first, paged by keyset in the database ({@code ?limit=}, {@code ?after=}).
     */
    public void list(Context ctx, Caller caller) {
        Paging paging = Paging.of(ctx);
        List<JitGrantView> rows = page(caller.principal(), ctx.queryParam("device"),
                Paging.TimeKey.parse(paging.after()), paging.limit());
        Responses.ok(ctx, paging.shown(ctx, rows, JitRoutes::key));
    }

    /** The keyset cursor after a request: its request time and id (the list's order). */
    private static String key(JitGrantView grant) {
        return Paging.TimeKey.of(grant.requestedAt(), grant.id()).toString();
    }

    /**
     * Every request {@link #page} finds, page after page: the console's just-in-time pages.
     */
    public List<JitGrantView> visible(org.castellan.server.users.Principal principal, String deviceId) {
        int size = 500;
        List<JitGrantView> out = new ArrayList<>();
        Paging.TimeKey after = null;
        while (true) {
            List<JitGrantView> page = page(principal, deviceId, after, size);
            if (page.size() <= size) {
                out.addAll(page);
                return out;
            }
            out.addAll(page.subList(0, size));
            JitGrantView last = page.get(size - 1);
            after = Paging.TimeKey.of(last.requestedAt(), last.id());
        }
    }

    /**
     * Requests on one device ({@code deviceId}) or of the last 30 days (requested, or running, since
     * then, or never approved), newest first, after the cursor {@code after} (null: from the newest),
     * keeping only those on devices the principal holds {@code device.jit} on: at most {@code limit},
     * plus one more when another page follows. Pages come from the database, narrowed in SQL to the
     * devices the caller's {@code device.jit} rules reach, and each row is confirmed with the full
     * access decision; when rows are refused the next page is read, until this one is full or the
     * requests end.
     */
    public List<JitGrantView> page(org.castellan.server.users.Principal principal, String deviceId,
                                   Paging.TimeKey after, int limit) {
        Instant now = clock.instant();
        Instant since = deviceId != null ? null : now.minus(Duration.ofDays(30));
        return db.read(c -> {
            AccessDecision.CallerAccess rights = decisions.of(c, principal);
            DeviceScope scope = rights.scope(Permission.DEVICE_JIT);
            List<JitGrantView> out = new ArrayList<>();
            Instant afterAt = after == null ? null : Instant.ofEpochMilli(after.millis());
            String afterId = after == null ? null : after.id();
            while (out.size() <= limit) {
                List<JitGrantRow> batch = grants.page(c, new JitQuery(deviceId, since, scope, afterAt, afterId, limit + 1));
                for (JitGrantRow row : batch) {
                    if (out.size() > limit) {
                        break;
                    }
                    Optional<Device> device = devices.byId(c, row.deviceId());
                    if (device.isPresent() && rights.on(device.get()).allows(Permission.DEVICE_JIT)) {
                        out.add(view(row, device.get(), now));
                    }
                }
                if (batch.size() <= limit) {
                    break;
                }
                JitGrantRow last = batch.get(batch.size() - 1);
                afterAt = last.requestedAt();
                afterId = last.id();
            }
            return out;
        });
    }

    /** 409 {@code device-deleted}: a deleted device gets no admin rights (its open grants were revoked). */
    private static void refuseDeleted(DeviceGrant grant) {
        if (grant.device().deleted()) {
            throw ApiException.conflict("device-deleted", "this device was deleted at " + grant.device().deletedAt()
                    + "; it gets no admin rights");
        }
    }

    private JitGrantRow find(String id, DeviceGrant grant) {
        return db.read(c -> grants.byId(c, id))
                .filter(r -> r.deviceId().equals(grant.device().id()))
                .orElseThrow(() -> ApiException.notFound("jit-not-found", "no just-in-time request with that id on this device"));
    }

    static JitGrantView view(JitGrantRow r, Device device, Instant now) {
        return new JitGrantView(r.id(), r.deviceId(), device.hostname(), r.account(), r.durationSeconds() / 60,
                r.reason(), r.status(now), r.requestedBy(), r.requestedAt(), r.approvalRequired(), r.approvedBy(),
                r.approvedAt(), r.expiresAt(), r.revokedBy(), r.revokedAt(), r.agentState(), r.agentStateAt(),
                r.agentDetail());
    }

}
