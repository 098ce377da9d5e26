package org.castellan.server.admin;

import io.javalin.http.Context;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.castellan.api.RuleView;
import org.castellan.server.access.Permission;
import org.castellan.server.access.PrincipalRef;
import org.castellan.server.access.Rule;
import org.castellan.server.access.TargetRef;
import org.castellan.server.audit.AuditActions;
import org.castellan.server.channels.ChannelStore;
import org.castellan.server.db.Database;
import org.castellan.server.devices.DeviceStore;
import org.castellan.server.groups.SqlDeviceGroupStore;
import org.castellan.server.groups.SqlUserGroupStore;
import org.castellan.server.guard.Audited;
import org.castellan.server.guard.Caller;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.JsonBody;
import org.castellan.server.http.Names;
import org.castellan.server.http.Paging;
import org.castellan.server.http.Responses;
import org.castellan.server.rules.SqlRuleStore;
import org.castellan.server.users.Tokens;
import org.castellan.server.users.UserStore;

/** {@code /api/v1/rules} (admin only). Rules are immutable: replace one by creating and deleting. */
public final class RuleRoutes {
    private final Database db;
    private final SqlRuleStore rules;
    private final ChannelStore channels;
    private final UserStore users;
    private final SqlUserGroupStore userGroups;
    private final DeviceStore devices;
    private final SqlDeviceGroupStore deviceGroups;
    private final Clock clock;

    public RuleRoutes(Database db, SqlRuleStore rules, ChannelStore channels, UserStore users,
                      SqlUserGroupStore userGroups, DeviceStore devices, SqlDeviceGroupStore deviceGroups,
                      Clock clock) {
        this.users = users;
        this.userGroups = userGroups;
        this.devices = devices;
        this.deviceGroups = deviceGroups;
        this.db = db;
        this.rules = rules;
        this.channels = channels;
        this.clock = clock;
    }

    public record Body(String name, List<String> principals, List<String> targets, List<String> permissions,
                       Boolean requireReason, Integer rotateAfterReadMinutes, List<String> channels, Instant expiresAt,
                       Boolean requireApproval, Integer requireSecondFactorMinutes) {}

    static RuleView view(Rule r) {
        return new RuleView(r.id(), r.name(), r.principals().stream().map(PrincipalRef::wire).toList(),
                r.targets().stream().map(TargetRef::wire).toList(),
                r.permissions().stream().sorted().map(Permission::wireName).toList(), r.requireReason(),
                r.rotateAfterReadMinutes(), r.channels(), r.expiresAt(), r.requireApproval(),
                r.requireSecondFactorMinutes());
    }

    public void create(Context ctx, Caller admin) {
        Responses.json(ctx, 201, create(admin, JsonBody.read(ctx, Body.class)));
    }

    /** Validates and stores a rule, audited; the API and the console's rule form both create through here. */
    public RuleView create(Caller admin, Body body) {
        Instant now = clock.instant();
        String name = Names.label(body.name(), "name");
        List<PrincipalRef> principals = parse(body.principals(), "principals", PrincipalRef::parse);
        List<TargetRef> targets = parse(body.targets(), "targets", TargetRef::parse);
        List<Permission> permissions = parse(body.permissions(), "permissions", Permission::fromWire);
        if (body.rotateAfterReadMinutes() != null && (body.rotateAfterReadMinutes() < 0 || body.rotateAfterReadMinutes() > 525_600)) {
            throw ApiException.badRequest("invalid-rotateAfterReadMinutes", "field 'rotateAfterReadMinutes' must be 0 to 525600");
        }
        Integer secondFactor = body.requireSecondFactorMinutes();
        if (secondFactor != null && (secondFactor < 1 || secondFactor > Rule.MAX_SECOND_FACTOR_MINUTES)) {
            throw ApiException.badRequest("invalid-requireSecondFactorMinutes",
                    "field 'requireSecondFactorMinutes' must be 1 to " + Rule.MAX_SECOND_FACTOR_MINUTES);
        }
        if (body.expiresAt() != null && !body.expiresAt().isAfter(now)) {
            throw ApiException.badRequest("invalid-expiresAt", "field 'expiresAt' must be in the future");
        }
        List<String> channelIds = body.channels() == null ? List.of() : body.channels();
        Rule rule = new Rule(Tokens.newId(), name, principals, targets, EnumSet.copyOf(permissions),
                Boolean.TRUE.equals(body.requireReason()), body.rotateAfterReadMinutes(), channelIds, body.expiresAt(), false,
                Boolean.TRUE.equals(body.requireApproval()), secondFactor);
        if (rule.requireApproval() && !rule.permissions().contains(Permission.DEVICE_JIT)) {
            throw ApiException.badRequest("invalid-requireApproval",
                    "field 'requireApproval' applies to rules granting device.jit");
        }
        admin.act(AuditActions.RULE_CREATE, c -> {
            requireExisting(c, principals, targets);
            for (String channel : channelIds) {
                if (channel == null || !channels.exists(c, channel)) {
                    throw ApiException.badRequest("invalid-channels", "field 'channels' names a channel that does not exist");
                }
            }
            rules.insert(c, rule, admin.principal().id(), now);
            return Audited.of(null, "rule " + rule.id() + " '" + name + "' " + view(rule));
        });
        return view(rule);
    }

    public void list(Context ctx, Caller admin) {
        Paging paging = Paging.of(ctx);
        // Keyset paging in the database: one row more than asked says another page exists.
        List<RuleView> rows = db.read(c -> rules.page(c, paging.after(), paging.limit() + 1)).stream()
                .map(RuleRoutes::view).toList();
        Responses.ok(ctx, paging.shown(ctx, rows, RuleView::id));
    }

    /** Every rule, as the API lists them: for the console's rule page. */
    public List<RuleView> all() {
        return db.read(rules::list).stream().map(RuleRoutes::view).toList();
    }

    public void get(Context ctx, Caller admin) {
        Responses.ok(ctx, view(db.read(c -> find(c, ctx.pathParam("id")))));
    }

    public void delete(Context ctx, Caller admin) {
        delete(admin, ctx.pathParam("id"));
        ctx.status(204);
    }

    /** Deletes a rule, audited (404 {@code rule-not-found} for an unknown id). */
    public void delete(Caller admin, String id) {
        admin.act(AuditActions.RULE_DELETE, c -> {
            Rule rule = find(c, id);
            rules.delete(c, id);
            return Audited.of(null, "rule " + id + " '" + rule.name() + "'");
        });
    }

    /** A rule naming a user, group or device that does not exist is a typo, refused by field. */
    private void requireExisting(Connection c, List<PrincipalRef> principals, List<TargetRef> targets) throws SQLException {
        for (PrincipalRef p : principals) {
            boolean exists = p.kind() == PrincipalRef.Kind.USER ? users.byId(c, p.id()).isPresent()
                    : userGroups.byId(c, p.id()).isPresent();
            if (!exists) {
                throw ApiException.badRequest("invalid-principals", "field 'principals': " + p.kind().prefix()
                        + " " + p.id() + " does not exist");
            }
        }
        for (TargetRef t : targets) {
            boolean exists = switch (t.kind()) {
                case ALL -> true;
                case DEVICE -> devices.byId(c, t.id()).isPresent();
                case DEVICE_GROUP -> deviceGroups.byId(c, t.id()).isPresent();
            };
            if (!exists) {
                throw ApiException.badRequest("invalid-targets", "field 'targets': " + t.wire() + " does not exist");
            }
        }
    }

    private Rule find(Connection c, String id) throws SQLException {
        return rules.byId(c, id).orElseThrow(() -> ApiException.notFound("rule-not-found", "no rule with that id"));
    }

    private static <T> List<T> parse(List<String> values, String field, java.util.function.Function<String, T> parser) {
        if (values == null || values.isEmpty()) {
            throw ApiException.badRequest("invalid-" + field, "field '" + field + "' must list at least one entry");
        }
        List<T> out = new ArrayList<>();
        for (String value : values) {
            try {
                out.add(parser.apply(value));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("invalid-" + field, "field '" + field + "': " + e.getMessage());
            }
        }
        return out;
    }
}
