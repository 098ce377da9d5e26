package org.castellan.server.admin;

import io.javalin.http.Context;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.castellan.api.CreatedRegistrationKey;
import org.castellan.api.RegistrationKeyView;
import org.castellan.protocol.Secret;
import org.castellan.server.audit.AuditActions;
import org.castellan.server.db.Database;
import org.castellan.server.groups.DeviceGroupRow;
import org.castellan.server.groups.SqlDeviceGroupStore;
import org.castellan.server.guard.Audited;
import org.castellan.server.guard.Caller;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.JsonBody;
import org.castellan.server.http.Names;
import org.castellan.server.http.Paging;
import org.castellan.server.http.Responses;
import org.castellan.server.registration.RegistrationKey;
import org.castellan.server.registration.RegistrationKeyStore;
import org.castellan.server.users.Tokens;

/** {@code /api/v1/registration-keys}: create (key shown once), list, revoke. */
public final class RegistrationKeyRoutes {
    private final Database db;
    private final RegistrationKeyStore keys;
    private final SqlDeviceGroupStore deviceGroups;
    private final Clock clock;
    private final SecureRandom random;

    public RegistrationKeyRoutes(Database db, RegistrationKeyStore keys,
                                 SqlDeviceGroupStore deviceGroups, Clock clock, SecureRandom random) {
        this.deviceGroups = deviceGroups;
        this.db = db;
        this.keys = keys;
        this.clock = clock;
        this.random = random;
    }

    public record CreateRequest(String name, Integer maxUses, Instant expiresAt, String group, Boolean requireApproval,
                                List<String> groups) {}

    private static RegistrationKeyView view(RegistrationKey k) {
        return new RegistrationKeyView(k.id(), k.name(), k.uses(), k.maxUses(), k.expiresAt(), k.group(), k.revokedAt(),
                k.createdAt(), k.requireApproval(), k.groups());
    }

    public void create(Context ctx, Caller admin) {
        try (Created created = create(admin, JsonBody.read(ctx, CreateRequest.class))) {
            Responses.json(ctx, 201, created.answer());
        }
    }

    /** A new key and the one answer that shows it; closing it wipes the key from memory. */
    public record Created(CreatedRegistrationKey answer) implements AutoCloseable {
        @Override
        public void close() {
            answer.key().close();
        }
    }

    /**
     * Validates and stores a registration key (only its hash), audited; the answer holds the key,
     * for the caller to show once (API and console alike).
     */
    public Created create(Caller admin, CreateRequest request) {
        String name = Names.label(request.name(), "name");
        String group = request.group() == null ? null : Names.label(request.group(), "group");
        if (request.maxUses() != null && request.maxUses() < 1) {
            throw ApiException.badRequest("invalid-maxUses", "field 'maxUses' must be at least 1 (or left out for no limit)");
        }
        Instant now = clock.instant();
        if (request.expiresAt() != null && !request.expiresAt().isAfter(now)) {
            throw ApiException.badRequest("invalid-expiresAt", "field 'expiresAt' must be in the future");
        }
        String secret = Tokens.newSecret(Tokens.REGISTRATION_KEY_PREFIX, random);
        boolean requireApproval = Boolean.TRUE.equals(request.requireApproval());
        RegistrationKey key = admin.act(AuditActions.REGISTRATION_KEY_CREATE, c -> {
            List<DeviceGroupRow> known = deviceGroups.definitions(c);
            List<String> groups = new ArrayList<>();
            for (String id : request.groups() == null ? List.<String>of() : request.groups()) {
                if (id == null || known.stream().noneMatch(g -> g.id().equals(id))) {
                    throw ApiException.badRequest("invalid-groups", "field 'groups' names a device group that does not exist");
                }
                groups.add(id);
            }
            // The older single "group" joins the device group of that id or name when there is one.
            if (group != null) {
                known.stream().filter(g -> g.id().equals(group) || g.name().equals(group)).findFirst()
                        .filter(g -> !groups.contains(g.id())).ifPresent(g -> groups.add(g.id()));
            }
            RegistrationKey k = new RegistrationKey(Tokens.newId(), name, request.maxUses(), 0,
                    request.expiresAt(), group, now, null, requireApproval, groups);
            keys.insert(c, k, Tokens.hash(secret), admin.principal().id());
            return Audited.of(k, "registration key " + k.id() + " '" + name + "'"
                    + (requireApproval ? " requires approval" : "") + (groups.isEmpty() ? "" : " groups " + groups));
        });
        return new Created(new CreatedRegistrationKey(key.id(), Secret.of(secret), name, key.maxUses(),
                key.expiresAt(), key.requireApproval(), key.groups()));
    }

    /** Oldest first (creation time, then id), paged by keyset in the database. */
    public void list(Context ctx, Caller admin) {
        Paging paging = Paging.of(ctx);
        Paging.TimeKey after = Paging.TimeKey.parse(paging.after());
        // One row more than asked says another page exists.
        List<RegistrationKey> rows = db.read(c -> keys.page(c, after == null ? null : Instant.ofEpochMilli(after.millis()),
                after == null ? null : after.id(), paging.limit() + 1));
        Responses.ok(ctx, paging.shown(ctx, rows, k -> Paging.TimeKey.of(k.createdAt(), k.id()).toString()).stream()
                .map(RegistrationKeyRoutes::view).toList());
    }

    /** Every registration key, without the key itself (only its hash is stored): for the console's page. */
    public List<RegistrationKeyView> all() {
        return db.read(keys::list).stream().map(RegistrationKeyRoutes::view).toList();
    }

    public void revoke(Context ctx, Caller admin) {
        Responses.ok(ctx, revoke(admin, ctx.pathParam("id")));
    }

    /** Revokes a key, audited once (revoking a revoked key changes nothing); 404 for an unknown id. */
    public RegistrationKeyView revoke(Caller admin, String id) {
        Instant now = clock.instant();
        RegistrationKey revoked = admin.act(AuditActions.REGISTRATION_KEY_REVOKE, c -> {
            RegistrationKey key = keys.byId(c, id).orElseThrow(() ->
                    ApiException.notFound("registration-key-not-found", "no registration key with that id"));
            if (key.revokedAt() != null) {
                return Audited.unchanged(key);
            }
            keys.revoke(c, id, now);
            return Audited.of(keys.byId(c, id).orElseThrow(), "registration key " + id);
        });
        return view(revoked);
    }
}
