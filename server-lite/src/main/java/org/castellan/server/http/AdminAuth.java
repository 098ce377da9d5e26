package org.castellan.server.http;

import io.javalin.http.Context;
import java.time.Clock;
import java.util.Optional;
import org.castellan.server.db.Database;
import org.castellan.server.users.Principal;
import org.castellan.server.users.Tokens;
import org.castellan.server.users.UserStore;

/**
 * Authenticates admin API calls by bearer token. For now every valid token may do everything;
 * per-permission rules come with users, groups and rules.
 */
public final class AdminAuth {
    private final Database db;
    private final UserStore users;
    private final Clock clock;

    public AdminAuth(Database db, UserStore users, Clock clock) {
        this.db = db;
        this.users = users;
        this.clock = clock;
    }

    /** The caller, or empty when the token is missing, unknown, revoked or expired. */
    public Optional<Principal> authenticate(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = header.substring(7).trim();
        if (!token.startsWith(Tokens.API_TOKEN_PREFIX) || token.length() > 100) {
            return Optional.empty();
        }
        String hash = Tokens.hash(token);
        return db.read(c -> users.principalForToken(c, hash, clock.instant()));
    }

    public Principal require(Context ctx) {
        return authenticate(ctx).orElseThrow(AdminAuth::unauthorized);
    }

    public static ApiException unauthorized() {
        return ApiException.unauthorized("unauthorized", "a valid API token is required (Authorization: Bearer cat_...)");
    }
}
