package org.castellan.server.admin;

import io.javalin.http.Context;
import java.util.List;
import java.time.Clock;
import org.castellan.server.audit.AuditActions;
import org.castellan.server.db.Database;
import org.castellan.server.guard.Audited;
import org.castellan.server.guard.Caller;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.JsonBody;
import org.castellan.server.http.Responses;
import org.castellan.server.groups.DeviceGroupRow;
import org.castellan.server.groups.SqlDeviceGroupStore;
import org.castellan.server.policy.AccountNames;
import org.castellan.server.policy.Policy;
import org.castellan.server.policy.PolicyStore;
import org.castellan.server.policy.PolicyUpdate;

/** {@code GET|PUT /api/v1/policies/{name}}; PUT merges the given fields onto the current policy. */
public final class PolicyRoutes {
    private final Database db;
    private final PolicyStore policies;
    private final SqlDeviceGroupStore groups;
    private final Clock clock;

    public PolicyRoutes(Database db, PolicyStore policies, SqlDeviceGroupStore groups, Clock clock) {
        this.db = db;
        this.policies = policies;
        this.groups = groups;
        this.clock = clock;
    }

    public void get(Context ctx, Caller admin) {
        String name = policyName(ctx);
        Policy policy = db.read(c -> policies.byName(c, name)).orElseThrow(() ->
                ApiException.notFound("policy-not-found", "no policy with that name"));
        Responses.ok(ctx, policy);
    }

    public void put(Context ctx, Caller admin) {
        String name = policyName(ctx);
        PolicyUpdate update = JsonBody.read(ctx, PolicyUpdate.class);
        Policy saved = admin.act(AuditActions.POLICY_UPDATE, c -> {
            Policy current = policies.byName(c, name).orElse(Policy.defaults(name));
            Policy next = update.applyTo(current, systems(c, name));
            policies.save(c, next, clock.instant());
            return Audited.of(next, "policy " + name + ": " + next);
        });
        Responses.ok(ctx, saved);
    }

    /** The systems the policy may reach: every one for {@code default} and for a policy no device group names. */
    private java.util.Set<String> systems(java.sql.Connection c, String name) throws java.sql.SQLException {
        if (name.equals(Policy.DEFAULT)) {
            return java.util.Set.copyOf(AccountNames.SYSTEMS);
        }
        java.util.Set<String> reached = new java.util.TreeSet<>();
        List<DeviceGroupRow> named = groups.definitions(c).stream().filter(g -> name.equals(g.policy())).toList();
        var counts = groups.explicitCounts(c, named.stream().map(DeviceGroupRow::id).toList());
        for (DeviceGroupRow g : named) {
            boolean explicit = counts.getOrDefault(g.id(), 0L) > 0;
            reached.addAll(AccountNames.reachedBy(g.matchOs(), explicit));
        }
        return reached.isEmpty() ? java.util.Set.copyOf(AccountNames.SYSTEMS) : reached;
    }

    private static String policyName(Context ctx) {
        return org.castellan.server.http.Names.policyName(ctx.pathParam("name"));
    }
}
