package org.castellan.server.admin;

import io.javalin.http.Context;
import java.util.List;
import java.util.Set;
import org.castellan.api.AccessAnswer;
import org.castellan.server.access.EffectiveAccess;
import org.castellan.server.access.Permission;
import org.castellan.server.access.PrincipalRef;
import org.castellan.server.db.Database;
import org.castellan.server.devices.Device;
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

    public AccessRoutes(Database db, DeviceStore devices, UserStore users, AccessDecision decisions) {
        this.db = db;
        this.devices = devices;
        this.users = users;
        this.decisions = decisions;
    }

    public void access(Context ctx, Caller admin) {
        PrincipalRef principal;
        try {
            principal = PrincipalRef.parse(ctx.queryParam("principal"));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid-principal", e.getMessage());
        }
        String deviceId = ctx.queryParam("device");
        if (deviceId == null || deviceId.isEmpty()) {
            throw ApiException.badRequest("invalid-device", "query parameter 'device' is required");
        }
        AccessAnswer answer = db.read(c -> {
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
        Responses.ok(ctx, answer);
    }
}
