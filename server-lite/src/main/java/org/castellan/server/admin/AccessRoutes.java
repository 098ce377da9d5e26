package org.castellan.server.admin;

import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.castellan.api.AccessAnswer;
import org.castellan.server.access.EffectiveAccess;
import org.castellan.server.access.Permission;
import org.castellan.server.access.PrincipalRef;
import org.castellan.server.db.Database;
import org.castellan.server.devices.Device;
import org.castellan.server.devices.DeviceQuery;
import org.castellan.server.devices.DeviceScope;
import org.castellan.server.groups.SqlUserGroupStore;
import org.castellan.server.devices.DeviceStore;
import org.castellan.server.guard.AccessDecision;
import org.castellan.server.guard.Caller;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.Responses;
import org.castellan.server.users.Principal;
import org.castellan.server.users.UserStore;

/**
 * {@code GET /api/v1/access?principal=user:ID|user-group:ID&device=ID}: what the principal may do
 * on the device and which rules say so (admin only). A user's answer includes their groups' rules
 * and, for an admin user, every permission.
 */
public final class AccessRoutes {
    private final Database db;
    private final DeviceStore devices;
    private final UserStore users;
    private final AccessDecision decisions;
    private final SqlUserGroupStore userGroups;

    public AccessRoutes(Database db, DeviceStore devices, UserStore users, SqlUserGroupStore userGroups,
                        AccessDecision decisions) {
        this.userGroups = userGroups;
        this.db = db;
        this.devices = devices;
        this.users = users;
        this.decisions = decisions;
    }

    public void access(Context ctx, Caller admin) {
        Responses.ok(ctx, answer(ctx.queryParam("principal"), ctx.queryParam("device")));
    }

    /**
     * The answer for {@code principal} ({@code user:ID} or {@code user-group:ID}) on device
     * {@code deviceId}; shared with the console's effective-access page (one evaluation path).
     */
    public AccessAnswer answer(String principalText, String deviceId) {
        PrincipalRef principal;
        try {
            principal = PrincipalRef.parse(principalText);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid-principal", e.getMessage());
        }
        if (deviceId == null || deviceId.isEmpty()) {
            throw ApiException.badRequest("invalid-device", "query parameter 'device' is required");
        }
        return db.read(c -> {
            Device device = devices.byId(c, deviceId).orElseThrow(() ->
                    ApiException.notFound("device-not-found", "no device with that id"));
            EffectiveAccess access;
            if (principal.kind() == PrincipalRef.Kind.USER) {
                UserStore.User user = users.byId(c, principal.id()).orElseThrow(() ->
                        ApiException.notFound("user-not-found", "no user with that id"));
                access = decisions.of(c, new Principal(user.id(), user.name(), user.admin(), null)).on(device);
            } else {
                access = decisions.forPrincipals(c, Set.of(principal), device);
            }
            return new AccessAnswer(principal.wire(), device.id(),
                    access.permissions().stream().sorted().map(Permission::wireName).toList(),
                    access.matchingRules().stream().map(r -> new AccessAnswer.RuleRef(r.id(), r.name(),
                            r.permissions().stream().sorted().map(Permission::wireName).toList())).toList(),
                    access.requireReason(), access.rotateAfterReadMinutes());
        });
    }

    /**
     * The id of the device {@code text} names (admins' console): its id, else the one live device of
     * that host name, else the one tombstone of that name. 404 when none; 400 when several share it.
     */
    public String deviceIdFor(String text) {
        return db.read(c -> {
            if (devices.byId(c, text).isPresent()) {
                return text;
            }
            if (!text.matches("[A-Za-z0-9._-]{1,253}")) {
                throw ApiException.notFound("device-not-found", "no device has that id or host name");
            }
            for (boolean deleted : new boolean[] {false, true}) {
                List<Device> named = devices.page(c, new DeviceQuery(DeviceScope.ALL, text, null, 2, deleted));
                if (named.size() > 1) {
                    throw ApiException.badRequest("device-ambiguous", "several devices are named " + text
                            + "; give the device id instead");
                }
                if (named.size() == 1) {
                    return named.get(0).id();
                }
            }
            throw ApiException.notFound("device-not-found", "no device has that id or host name");
        });
    }

    /** What a principal text names, resolved (admins' console). */
    public record Named(String wire, String label, boolean admin) {}

    /**
     * {@code user:ID}, {@code user-group:ID}, {@code user-group:NAME}, or a user name: the principal,
     * its name, and whether it has the admin role. 404 when nothing has that name.
     */
    public Named principalFor(String text) {
        return db.read(c -> {
            String rest = text;
            boolean group = false;
            if (text.startsWith("user-group:")) {
                group = true;
                rest = text.substring("user-group:".length());
            } else if (text.startsWith("user:")) {
                rest = text.substring("user:".length());
            }
            if (group) {
                String key = rest;
                for (var g : userGroups.list(c)) {
                    if (g.id().equals(key) || g.name().equals(key)) {
                        return new Named("user-group:" + g.id(), g.name(), false);
                    }
                }
                throw ApiException.notFound("user-group-not-found", "no user group has that id or name");
            }
            Optional<UserStore.User> user = users.byId(c, rest);
            if (user.isEmpty()) {
                user = users.byName(c, rest);
            }
            UserStore.User u = user.orElseThrow(() -> ApiException.notFound("user-not-found",
                    "no user has that id or name (for a group write user-group:NAME)"));
            return new Named("user:" + u.id(), u.name(), u.admin());
        });
    }
}
