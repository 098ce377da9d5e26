package org.castellan.server.admin;

import io.javalin.http.Context;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.castellan.api.CreatedSession;
import org.castellan.protocol.Secret;
import org.castellan.server.audit.AuditActions;
import org.castellan.server.guard.Visitor;
import org.castellan.server.http.JsonBody;
import org.castellan.server.http.Responses;
import org.castellan.server.users.Tokens;
import org.castellan.server.users.UserStore;

/**
 * {@code POST /api/v1/sessions}: name and password ({@link PasswordLogin}, its lockout and audit)
 * for a 12-hour token.
 */
public final class SessionRoutes {
    static final Duration SESSION = Duration.ofHours(12);
    private final UserStore users;
    private final PasswordLogin login;
    private final Clock clock;
    private final SecureRandom random;

    public SessionRoutes(UserStore users, PasswordLogin login, Clock clock, SecureRandom random) {
        this.users = users;
        this.login = login;
        this.clock = clock;
        this.random = random;
    }

    public record Login(String name, String password) {}


    public void login(Context ctx, Visitor visitor) {
        Login request = JsonBody.read(ctx, Login.class);
        UserStore.User user = login.check(visitor, request.name(), request.password(), "");
        String token = Tokens.newSecret(Tokens.API_TOKEN_PREFIX, random);
        Instant now = clock.instant();
        Instant expiresAt = now.plus(SESSION);
        String userId = user.id();
        visitor.write((c, audit) -> {
            users.insertToken(c, Tokens.newId(), userId, "session", Tokens.hash(token), now, expiresAt);
            audit.append("user:" + userId, AuditActions.SESSION_CREATE, "ok", null, null);
            return null;
        });
        try (Secret secret = Secret.of(token)) {
            Responses.json(ctx, 201, new CreatedSession(secret, expiresAt));
        }
    }
}
