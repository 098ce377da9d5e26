package org.castellan.server.users;

import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.castellan.protocol.Secret;
import org.castellan.server.audit.AuditActions;
import org.castellan.server.audit.AuditEvent;
import org.castellan.server.audit.AuditLog;
import org.castellan.server.db.Database;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.Authorizer;
import org.castellan.server.http.JsonBody;
import org.castellan.server.http.Paging;
import org.castellan.server.http.Responses;
import org.castellan.server.http.RouteTable;
import org.castellan.server.http.TextRules;

/** Users and their API tokens: admin-only, except that a user may list and revoke their own tokens. */
public final class UserRoutes {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    static final int MIN_PASSWORD = 12;
    private final Database db;
    private final UserStore users;
    private final AuditLog audit;
    private final Authorizer auth;
    private final PasswordHasher hasher;
    private final Clock clock;
    private final java.security.SecureRandom random;

    public UserRoutes(Database db, UserStore users, AuditLog audit, Authorizer auth, PasswordHasher hasher,
                      Clock clock, java.security.SecureRandom random) {
        this.db = db;
        this.users = users;
        this.audit = audit;
        this.auth = auth;
        this.hasher = hasher;
        this.clock = clock;
        this.random = random;
    }

    public record CreateUser(String name, String password, Boolean admin) {}

    public record UserView(String id, String name, boolean admin, java.time.Instant createdAt, java.time.Instant disabledAt) {
        static UserView of(UserStore.User u) {
            return new UserView(u.id(), u.name(), u.admin(), u.createdAt(), u.disabledAt());
        }
    }

    public record CreateToken(String name, Instant expiresAt) {}

    public record CreatedToken(String id, String name, String token, Instant expiresAt) {}

    public void register(RouteTable routes) {
        routes.post("/api/v1/users", this::create);
        routes.get("/api/v1/users", this::list);
        routes.get("/api/v1/users/{id}", this::get);
        routes.post("/api/v1/users/{id}/disable", ctx -> setDisabled(ctx, true));
        routes.post("/api/v1/users/{id}/enable", ctx -> setDisabled(ctx, false));
        routes.post("/api/v1/users/{id}/tokens", this::createToken);
        routes.get("/api/v1/users/{id}/tokens", this::listTokens);
        routes.post("/api/v1/tokens/{id}/revoke", this::revokeToken);
    }

    private void create(Context ctx) {
        Principal admin = auth.requireAdmin(ctx);
        CreateUser request = JsonBody.read(ctx, CreateUser.class);
        if (request.name() == null || !NAME.matcher(request.name()).matches()) {
            throw ApiException.badRequest("invalid-name", "field 'name' must be 1-64 characters of A-Z a-z 0-9 . _ @ -");
        }
        String hash = null;
        if (request.password() != null) {
            if (request.password().length() < MIN_PASSWORD || request.password().length() > 1024) {
                throw ApiException.badRequest("invalid-password", "field 'password' must be 12 to 1024 characters");
            }
            try (Secret password = Secret.of(request.password())) {
                hash = hasher.hash(password);
            }
        }
        String passwordHash = hash;
        Instant now = clock.instant();
        String id = Tokens.newId();
        boolean isAdmin = Boolean.TRUE.equals(request.admin());
        UserStore.User user = db.write(c -> {
            if (users.byName(c, request.name()).isPresent()) {
                throw ApiException.conflict("user-exists", "a user with that name already exists");
            }
            users.insertUser(c, id, request.name(), isAdmin, passwordHash, now);
            audit.append(c, AuditEvent.of(admin.id(), AuditActions.USER_CREATE, "ok", null, auth.clientAddress(ctx))
                    .withDetail("user:" + id + " '" + request.name() + "'" + (isAdmin ? " admin" : "")));
            return users.byId(c, id).orElseThrow();
        });
        Responses.json(ctx, 201, UserView.of(user));
    }

    private void list(Context ctx) {
        auth.requireAdmin(ctx);
        Paging paging = Paging.of(ctx);
        List<UserView> all = db.read(users::list).stream().map(UserView::of).toList();
        Responses.ok(ctx, paging.page(ctx, all, UserView::id));
    }

    private void get(Context ctx) {
        auth.requireAdmin(ctx);
        Responses.ok(ctx, UserView.of(db.read(c -> user(c, ctx.pathParam("id")))));
    }

    private void setDisabled(Context ctx, boolean disable) {
        Principal admin = auth.requireAdmin(ctx);
        String id = ctx.pathParam("id");
        Instant now = clock.instant();
        UserStore.User user = db.write(c -> {
            UserStore.User u = user(c, id);
            if (disable && u.id().equals(admin.userId())) {
                throw ApiException.conflict("cannot-disable-self", "an admin cannot disable their own user");
            }
            users.setDisabled(c, id, disable ? now : null);
            audit.append(c, AuditEvent.of(admin.id(), disable ? AuditActions.USER_DISABLE : AuditActions.USER_ENABLE,
                    "ok", null, auth.clientAddress(ctx)).withDetail("user:" + id));
            return users.byId(c, id).orElseThrow();
        });
        Responses.ok(ctx, UserView.of(user));
    }

    private void createToken(Context ctx) {
        Principal admin = auth.requireAdmin(ctx);
        String userId = ctx.pathParam("id");
        CreateToken request = JsonBody.read(ctx, CreateToken.class);
        String name = TextRules.name(request.name(), "name", 100);
        Instant now = clock.instant();
        if (request.expiresAt() != null && !request.expiresAt().isAfter(now)) {
            throw ApiException.badRequest("invalid-expiresAt", "field 'expiresAt' must be in the future");
        }
        String secret = Tokens.newSecret(Tokens.API_TOKEN_PREFIX, random);
        String id = Tokens.newId();
        db.write(c -> {
            user(c, userId);
            users.insertToken(c, id, userId, name, Tokens.hash(secret), now, request.expiresAt());
            audit.append(c, AuditEvent.of(admin.id(), AuditActions.TOKEN_CREATE, "ok", null, auth.clientAddress(ctx))
                    .withDetail("token " + id + " '" + name + "' for user:" + userId));
            return null;
        });
        Responses.json(ctx, 201, new CreatedToken(id, name, secret, request.expiresAt()));
    }

    private void listTokens(Context ctx) {
        Principal caller = auth.authenticate(ctx);
        String userId = ctx.pathParam("id");
        if (!caller.admin() && !caller.userId().equals(userId)) {
            throw Authorizer.forbidden();
        }
        Paging paging = Paging.of(ctx);
        List<UserStore.Token> tokens = db.read(c -> {
            user(c, userId);
            return users.tokens(c, userId);
        });
        Responses.ok(ctx, paging.page(ctx, tokens.stream().map(TokenView::of).toList(), TokenView::id));
    }

    public record TokenView(String id, String name, Instant createdAt, Instant expiresAt, Instant lastUsedAt,
                            Instant revokedAt) {
        static TokenView of(UserStore.Token t) {
            return new TokenView(t.id(), t.name(), t.createdAt(), t.expiresAt(), t.lastUsedAt(), t.revokedAt());
        }
    }

    private void revokeToken(Context ctx) {
        Principal caller = auth.authenticate(ctx);
        String id = ctx.pathParam("id");
        Instant now = clock.instant();
        UserStore.Token token = db.write(c -> {
            UserStore.Token t = users.tokenById(c, id).orElse(null);
            if (t == null || (!caller.admin() && !t.userId().equals(caller.userId()))) {
                // Someone else's token id answers like an unknown one.
                throw caller.admin() ? ApiException.notFound("token-not-found", "no token with that id") : Authorizer.forbidden();
            }
            if (t.revokedAt() == null) {
                users.revokeToken(c, id, now);
                audit.append(c, AuditEvent.of(caller.id(), AuditActions.TOKEN_REVOKE, "ok", null, auth.clientAddress(ctx))
                        .withDetail("token " + id + " of user:" + t.userId()));
            }
            return users.tokenById(c, id).orElseThrow();
        });
        Responses.ok(ctx, TokenView.of(token));
    }

    private UserStore.User user(java.sql.Connection c, String id) throws java.sql.SQLException {
        return users.byId(c, id).orElseThrow(() -> ApiException.notFound("user-not-found", "no user with that id"));
    }
}
