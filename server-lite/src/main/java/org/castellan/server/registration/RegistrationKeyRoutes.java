package org.castellan.server.registration;

import io.javalin.http.Context;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.castellan.server.audit.AuditActions;
import org.castellan.server.audit.AuditEvent;
import org.castellan.server.audit.AuditLog;
import org.castellan.server.db.Database;
import org.castellan.server.http.AdminAuth;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.Clients;
import org.castellan.server.http.JsonBody;
import org.castellan.server.http.Responses;
import org.castellan.server.http.RouteTable;
import org.castellan.server.http.TextRules;
import org.castellan.server.users.Principal;
import org.castellan.server.users.Tokens;

/** {@code /api/v1/registration-keys}: create (key shown once), list, revoke. */
public final class RegistrationKeyRoutes {
    private final Database db;
    private final RegistrationKeyStore keys;
    private final AuditLog audit;
    private final AdminAuth auth;
    private final Clock clock;
    private final SecureRandom random;

    public RegistrationKeyRoutes(Database db, RegistrationKeyStore keys, AuditLog audit, AdminAuth auth,
                                 Clock clock, SecureRandom random) {
        this.db = db;
        this.keys = keys;
        this.audit = audit;
        this.auth = auth;
        this.clock = clock;
        this.random = random;
    }

    public record CreateRequest(String name, Integer maxUses, Instant expiresAt, String group) {}

    public record Created(String id, String key, String name, Integer maxUses, Instant expiresAt) {}

    public record Listed(String id, String name, int uses, Integer maxUses, Instant expiresAt, String group,
                         Instant revokedAt, Instant createdAt) {}

    public void register(RouteTable routes) {
        routes.post("/api/v1/registration-keys", this::create);
        routes.get("/api/v1/registration-keys", this::list);
        routes.post("/api/v1/registration-keys/{id}/revoke", this::revoke);
    }

    private void create(Context ctx) {
        Principal principal = auth.require(ctx);
        CreateRequest request = JsonBody.read(ctx, CreateRequest.class);
        String name = TextRules.name(request.name(), "name", 100);
        String group = TextRules.optional(request.group(), "group", 100);
        if (request.maxUses() != null && request.maxUses() < 1) {
            throw ApiException.badRequest("invalid-maxUses", "field 'maxUses' must be at least 1 (or left out for no limit)");
        }
        Instant now = clock.instant();
        if (request.expiresAt() != null && !request.expiresAt().isAfter(now)) {
            throw ApiException.badRequest("invalid-expiresAt", "field 'expiresAt' must be in the future");
        }
        String secret = Tokens.newSecret(Tokens.REGISTRATION_KEY_PREFIX, random);
        RegistrationKey key = new RegistrationKey(Tokens.newId(), name, request.maxUses(), 0,
                request.expiresAt(), group, now, null);
        db.write(c -> {
            keys.insert(c, key, Tokens.hash(secret), principal.id());
            audit.append(c, AuditEvent.of(principal.id(), AuditActions.REGISTRATION_KEY_CREATE, "ok", null, Clients.address(ctx))
                    .withDetail("registration key " + key.id() + " '" + name + "'"));
            return null;
        });
        Responses.json(ctx, 201, new Created(key.id(), secret, name, key.maxUses(), key.expiresAt()));
    }

    private void list(Context ctx) {
        auth.require(ctx);
        List<Listed> listed = db.read(keys::list).stream()
                .map(k -> new Listed(k.id(), k.name(), k.uses(), k.maxUses(), k.expiresAt(), k.group(),
                        k.revokedAt(), k.createdAt()))
                .toList();
        Responses.ok(ctx, listed);
    }

    private void revoke(Context ctx) {
        Principal principal = auth.require(ctx);
        String id = ctx.pathParam("id");
        Instant now = clock.instant();
        RegistrationKey revoked = db.write(c -> {
            RegistrationKey key = keys.byId(c, id).orElseThrow(() ->
                    ApiException.notFound("registration-key-not-found", "no registration key with that id"));
            if (key.revokedAt() == null) {
                keys.revoke(c, id, now);
                audit.append(c, AuditEvent.of(principal.id(), AuditActions.REGISTRATION_KEY_REVOKE, "ok", null, Clients.address(ctx))
                        .withDetail("registration key " + id));
            }
            return keys.byId(c, id).orElseThrow();
        });
        Responses.ok(ctx, new Listed(revoked.id(), revoked.name(), revoked.uses(), revoked.maxUses(),
                revoked.expiresAt(), revoked.group(), revoked.revokedAt(), revoked.createdAt()));
    }
}
