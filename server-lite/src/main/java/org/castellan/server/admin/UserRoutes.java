package org.castellan.server.admin;

import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.castellan.api.CreatedToken;
import org.castellan.api.TokenView;
import org.castellan.api.UserView;
import org.castellan.protocol.Secret;
import org.castellan.server.audit.AuditActions;
import org.castellan.server.db.Database;
import org.castellan.server.guard.Audited;
import org.castellan.server.guard.Caller;
import org.castellan.server.guard.Refusals;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.JsonBody;
import org.castellan.server.http.Names;
import org.castellan.server.http.TextRules;
import org.castellan.server.http.Paging;
import org.castellan.server.http.Responses;
import org.castellan.server.users.PasswordHasher;
import org.castellan.server.users.Principal;
import org.castellan.server.users.Tokens;
import org.castellan.server.users.UserStore;

/** Users and their API tokens: admin-only, except that a user may list and revoke their own tokens. */
public final class UserRoutes {
    static final int MIN_PASSWORD = 12;
    private final Database db;
    private final UserStore users;
    private final PasswordHasher hasher;
    private final Clock clock;
    private final java.security.SecureRandom random;

    public UserRoutes(Database db, UserStore users, PasswordHasher hasher, Clock clock, java.security.SecureRandom random) {
        this.db = db;
        this.users = users;
        this.hasher = hasher;
        this.clock = clock;
        this.random = random;
    }

    public record CreateUser(String name, String password, Boolean admin) {}


    public record CreateToken(String name, Instant expiresAt) {}


    public void create(Context ctx, Caller admin) {
        Responses.json(ctx, 201, create(admin, JsonBody.read(ctx, CreateUser.class)));
    }

    /** Validates and stores a user, audited; the API and the console's user form both create through here. */
    public UserView create(Caller admin, CreateUser request) {
        Names.userName(request.name(), "name");
        TextRules.refuseIdShaped(request.name(), "name");
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
        UserStore.User user = admin.act(AuditActions.USER_CREATE, c -> {
            if (users.byName(c, request.name()).isPresent()) {
                throw ApiException.conflict("user-exists", "a user with that name already exists");
            }
            users.insertUser(c, id, request.name(), isAdmin, passwordHash, now);
            return Audited.of(users.byId(c, id).orElseThrow(),
                    "user:" + id + " '" + request.name() + "'" + (isAdmin ? " admin" : ""));
        });
        return userView(user);
    }

    public void list(Context ctx, Caller admin) {
        Paging paging = Paging.of(ctx);
        List<UserView> page = page(paging.after(), paging.limit() + 1);
        if (page.size() > paging.limit()) {
            page = page.subList(0, paging.limit());
            Paging.next(ctx, page.get(page.size() - 1).id());
        }
        Responses.ok(ctx, page);
    }

    /** Up to {@code limit} users after {@code afterId} (null: the first), in id order. */
    public List<UserView> page(String afterId, int limit) {
        return db.read(c -> users.page(c, afterId, limit)).stream().map(UserRoutes::userView).toList();
    }

    public void get(Context ctx, Caller admin) {
        Responses.ok(ctx, userView(db.read(c -> user(c, ctx.pathParam("id")))));
    }

    public void disable(Context ctx, Caller admin) {
        setDisabled(ctx, admin, true);
    }

    public void enable(Context ctx, Caller admin) {
        setDisabled(ctx, admin, false);
    }

    private void setDisabled(Context ctx, Caller admin, boolean disable) {
        Responses.ok(ctx, setDisabled(admin, ctx.pathParam("id"), disable));
    }

    /** Disables or re-enables a user, audited; an admin cannot disable themselves (409). */
    public UserView setDisabled(Caller admin, String id, boolean disable) {
        Instant now = clock.instant();
        UserStore.User user = admin.act(disable ? AuditActions.USER_DISABLE : AuditActions.USER_ENABLE, c -> {
            UserStore.User u = user(c, id);
            if (disable && u.id().equals(admin.principal().userId())) {
                throw ApiException.conflict("cannot-disable-self", "an admin cannot disable their own user");
            }
            users.setDisabled(c, id, disable ? now : null);
            return Audited.of(users.byId(c, id).orElseThrow(), "user:" + id);
        });
        return userView(user);
    }

    public void createToken(Context ctx, Caller admin) {
        CreatedToken created = createToken(admin, ctx.pathParam("id"), JsonBody.read(ctx, CreateToken.class));
        try (Secret token = created.token()) {
            Responses.json(ctx, 201, created);
        }
    }

    /**
     * Makes an API token for a user (only its hash is stored), audited; the answer holds the token
     * for the caller to show once and then close (API and console alike). 404 {@code user-not-found}.
     */
    public CreatedToken createToken(Caller admin, String userId, CreateToken request) {
        String name = Names.label(request.name(), "name");
        Instant now = clock.instant();
        if (request.expiresAt() != null && !request.expiresAt().isAfter(now)) {
            throw ApiException.badRequest("invalid-expiresAt", "field 'expiresAt' must be in the future");
        }
        String secret = Tokens.newSecret(Tokens.API_TOKEN_PREFIX, random);
        String id = Tokens.newId();
        admin.act(AuditActions.TOKEN_CREATE, c -> {
            user(c, userId);
            users.insertToken(c, id, userId, name, Tokens.hash(secret), now, request.expiresAt());
            return Audited.of(null, "token " + id + " '" + name + "' for user:" + userId);
        });
        return new CreatedToken(id, name, Secret.of(secret), request.expiresAt());
    }

    /** Admin, or the token's own user. */
    public void listTokens(Context ctx, Caller caller) {
        String userId = ctx.pathParam("id");
        if (!caller.principal().admin() && !caller.principal().userId().equals(userId)) {
            throw Refusals.forbidden();
        }
        Paging paging = Paging.of(ctx);
        // One row more than asked: its presence says another page exists.
        List<UserStore.Token> tokens = db.read(c -> {
            user(c, userId);
            return users.tokenPage(c, userId, paging.after(), paging.limit() + 1);
        });
        if (tokens.size() > paging.limit()) {
            tokens = tokens.subList(0, paging.limit());
            Paging.next(ctx, tokens.get(tokens.size() - 1).id());
        }
        Responses.ok(ctx, tokens.stream().map(UserRoutes::tokenView).toList());
    }

    /** A user's API tokens (never their secrets), for the console's user page; 404 {@code user-not-found}. */
    public List<TokenView> tokens(String userId) {
        return db.read(c -> {
            user(c, userId);
            return users.tokens(c, userId);
        }).stream().map(UserRoutes::tokenView).toList();
    }

    private static UserView userView(UserStore.User u) {
        return new UserView(u.id(), u.name(), u.admin(), u.createdAt(), u.disabledAt());
    }

    private static TokenView tokenView(UserStore.Token t) {
        return new TokenView(t.id(), t.name(), t.createdAt(), t.expiresAt(), t.lastUsedAt(), t.revokedAt());
    }

    /** Admin, or the token's owner. */
    public void revokeToken(Context ctx, Caller caller) {
        Responses.ok(ctx, revokeToken(caller, ctx.pathParam("id")));
    }

    /** Revokes a token (admin, or its owner), audited; repeating it changes nothing. */
    public TokenView revokeToken(Caller caller, String id) {
        Principal principal = caller.principal();
        Instant now = clock.instant();
        UserStore.Token token = caller.act(AuditActions.TOKEN_REVOKE, c -> {
            UserStore.Token t = users.tokenById(c, id).orElse(null);
            if (t == null || (!principal.admin() && !t.userId().equals(principal.userId()))) {
                // Someone else's token id answers like an unknown one.
                throw principal.admin() ? ApiException.notFound("token-not-found", "no token with that id")
                        : Refusals.forbidden();
            }
            if (t.revokedAt() != null) {
                return Audited.unchanged(t);
            }
            users.revokeToken(c, id, now);
            return Audited.of(users.tokenById(c, id).orElseThrow(), "token " + id + " of user:" + t.userId());
        });
        return tokenView(token);
    }

    private UserStore.User user(java.sql.Connection c, String id) throws java.sql.SQLException {
        return users.byId(c, id).orElseThrow(() -> ApiException.notFound("user-not-found", "no user with that id"));
    }
}
