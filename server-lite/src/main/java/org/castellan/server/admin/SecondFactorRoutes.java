package org.castellan.server.admin;

import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.castellan.server.audit.AuditActions;
import org.castellan.server.guard.Audited;
import org.castellan.server.guard.Caller;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.Responses;
import org.castellan.server.users.SqlTotpStore;
import org.castellan.server.users.SqlWebSessionStore;
import org.castellan.server.users.UserStore;

/**
 * {@code POST /api/v1/users/{id}/reset-totp} (admin): a user lost their authenticator. Their TOTP
 * seed is forgotten and their console sessions end, so the next sign-in enrols a new one; on
 * record as {@code user.totp-reset}. A user without a second factor: 200, nothing changed, no row.
 */
public final class SecondFactorRoutes {
    private final UserStore users;
    private final SqlTotpStore totps;
    private final SqlWebSessionStore sessions;
    private final Clock clock;

    public SecondFactorRoutes(UserStore users, SqlTotpStore totps, SqlWebSessionStore sessions, Clock clock) {
        this.users = users;
        this.totps = totps;
        this.sessions = sessions;
        this.clock = clock;
    }

    public void resetTotp(Context ctx, Caller admin) {
        Responses.ok(ctx, resetTotp(admin, ctx.pathParam("id")));
    }

    /**
     * Forgets a user's TOTP seed and ends their console sessions (the next sign-in enrols anew),
     * audited; API and console alike. 404 {@code user-not-found}.
     */
    public Map<String, Object> resetTotp(Caller admin, String id) {
        Instant now = clock.instant();
        return admin.act(AuditActions.USER_TOTP_RESET, c -> {
            UserStore.User user = users.byId(c, id)
                    .orElseThrow(() -> ApiException.notFound("user-not-found", "no user with that id"));
            boolean had = totps.delete(c, user.id());
            int ended = sessions.endAllOf(c, user.id(), now);
            Map<String, Object> result = Map.of("id", user.id(), "totpReset", had, "sessionsEnded", ended);
            return had || ended > 0 ? Audited.of(result, "user:" + user.id() + " (" + user.name() + "): TOTP "
                    + (had ? "forgotten" : "not set up") + ", " + ended + " console sessions ended; the next sign-in"
                    + " enrols a new second factor") : Audited.unchanged(result);
        });
    }
}
