package org.castellan.server.policy;

import io.javalin.http.Context;
import java.time.Clock;
import org.castellan.server.audit.AuditActions;
import org.castellan.server.audit.AuditEvent;
import org.castellan.server.audit.AuditLog;
import org.castellan.server.db.Database;
import org.castellan.server.http.Authorizer;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.JsonBody;
import org.castellan.server.http.Responses;
import org.castellan.server.http.RouteTable;
import org.castellan.server.users.Principal;

/** {@code GET|PUT /api/v1/policies/{name}}; PUT merges the given fields onto the current policy. */
public final class PolicyRoutes {
    private final Database db;
    private final PolicyStore policies;
    private final AuditLog audit;
    private final Authorizer auth;
    private final Clock clock;

    public PolicyRoutes(Database db, PolicyStore policies, AuditLog audit, Authorizer auth, Clock clock) {
        this.db = db;
        this.policies = policies;
        this.audit = audit;
        this.auth = auth;
        this.clock = clock;
    }

    public void register(RouteTable routes) {
        routes.get("/api/v1/policies/{name}", this::get);
        routes.put("/api/v1/policies/{name}", this::put);
    }

    private void get(Context ctx) {
        auth.requireAdmin(ctx);
        String name = policyName(ctx);
        Policy policy = db.read(c -> policies.byName(c, name)).orElseThrow(() ->
                ApiException.notFound("policy-not-found", "no policy with that name"));
        Responses.ok(ctx, policy);
    }

    private void put(Context ctx) {
        Principal principal = auth.requireAdmin(ctx);
        String name = policyName(ctx);
        PolicyUpdate update = JsonBody.read(ctx, PolicyUpdate.class);
        Policy saved = db.write(c -> {
            Policy current = policies.byName(c, name).orElse(Policy.defaults(name));
            Policy next = update.applyTo(current);
            policies.save(c, next, clock.instant());
            audit.append(c, AuditEvent.of(principal.id(), AuditActions.POLICY_UPDATE, "ok", null, auth.clientAddress(ctx))
                    .withDetail("policy " + name + ": " + next));
            return next;
        });
        Responses.ok(ctx, saved);
    }

    private static String policyName(Context ctx) {
        String name = ctx.pathParam("name");
        if (!name.matches("[a-z0-9][a-z0-9-]{0,63}")) {
            throw ApiException.badRequest("invalid-policy-name", "policy names are 1-64 characters of a-z, 0-9 and '-'");
        }
        return name;
    }
}
