package org.castellan.server.guard;

import io.javalin.http.Context;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import org.castellan.server.db.Database;
import org.castellan.server.users.Principal;
import org.castellan.server.users.Tokens;
import org.castellan.server.users.UserStore;

/**
 * Bearer token → principal: a live token (not expired, not revoked, its user enabled), or none.
 * Reading only; the token's last use is recorded by the request's own write
 * ({@link Caller}), so an authenticated request costs no extra trip through the database writer.
 */
public final class Authentication implements UseRecorder {
    private static final int MAX_TOKEN_LENGTH = 100;
    private final Database db;
    private final UserStore users;
    private final Clock clock;

    public Authentication(Database db, UserStore users, Clock clock) {
        this.db = db;
        this.users = users;
        this.clock = clock;
    }

    /** The caller, or empty when the token is missing, unknown, revoked, expired or its user disabled. */
    Optional<Principal> principal(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = header.substring(7).trim();
        if (!token.startsWith(Tokens.API_TOKEN_PREFIX) || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        String hash = Tokens.hash(token);
        return db.read(c -> users.principalForToken(c, hash, clock.instant()));
    }

    /** Records that {@code principal}'s token was used now, in the caller's transaction. */
    @Override
    public void recordUse(Connection c, Principal principal) throws SQLException {
        users.touchToken(c, principal.tokenId(), clock.instant());
    }
}
