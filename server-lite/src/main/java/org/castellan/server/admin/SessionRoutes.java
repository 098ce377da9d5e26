package org.castellan.server.admin;

import io.javalin.http.Context;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.castellan.api.CreatedSession;
import org.castellan.protocol.Secret;
import org.castellan.server.audit.AuditActions;
import org.castellan.server.db.Database;
import org.castellan.server.guard.Visitor;
import org.castellan.server.http.ApiException;
import org.castellan.server.http.JsonBody;
import org.castellan.server.http.Responses;
import org.castellan.server.ratelimit.LimitKeys;
import org.castellan.server.ratelimit.LoginLockout;
import org.castellan.server.ratelimit.RateDecision;
import org.castellan.server.users.PasswordHasher;
import org.castellan.server.users.Tokens;
import org.castellan.server.users.UserStore;

/**
 * {@code POST /api/v1/sessions}: name and password for a 12-hour token. Failures count per user
 * name and per client address; a locked key answers 429 {@code locked-out} without checking the
 * password (so a locked account cannot be probed). Every attempt is audited.
 */
public final class SessionRoutes {
    static final Duration SESSION = Duration.ofHours(12);
    private final Database db;
    private final UserStore users;
    private final PasswordHasher hasher;
    private final LoginLockout lockout;
    private final Clock clock;
    private final SecureRandom random;

    public SessionRoutes(Database db, UserStore users, PasswordHasher hasher, LoginLockout lockout, Clock clock,
                         SecureRandom random) {
        this.db = db;
        this.users = users;
        this.hasher = hasher;
        this.lockout = lockout;
        this.clock = clock;
        this.random = random;
    }

    public record Login(String name, String password) {}


    public void login(Context ctx, Visitor visitor) {
        Login request = JsonBody.read(ctx, Login.class);
        if (request.name() == null || !org.castellan.server.http.Names.isUserName(request.name()) || request.password() == null
                || request.password().length() > 1024) {
            throw ApiException.badRequest("invalid-login", "fields 'name' and 'password' are required");
        }
        java.net.InetAddress address = visitor.address();
        String nameKey = "login-name:" + request.name();
        String addressKey = "login-" + LimitKeys.address(address);
        for (String key : new String[] {nameKey, addressKey}) {
            RateDecision locked = lockout.check(key);
            if (!locked.allowed()) {
                // Coalesced per address and window: hammering a lock cannot grow the log without bound.
                visitor.refusedRepeatedly(AuditActions.SESSION_CREATE, "user name " + request.name(), "locked-out");
                throw ApiException.tooManyRequests("locked-out", "too many failed logins; try again later",
                        locked.retryAfterSeconds());
            }
        }
        Optional<UserStore.User> user = db.read(c -> users.byName(c, request.name()));
        boolean ok;
        try (Secret password = Secret.of(request.password())) {
            ok = user.isPresent() && user.get().passwordHash() != null && user.get().disabledAt() == null
                    ? hasher.verify(password, user.get().passwordHash())
                    : hasher.verifyUnknownUser(password);
        }
        if (!ok) {
            RateDecision byName = lockout.recordFailure(nameKey);
            RateDecision byAddress = lockout.recordFailure(addressKey);
            String who = user.map(u -> "user:" + u.id()).orElse("anonymous");
            visitor.write((c, audit) -> {
                audit.append(who, AuditActions.SESSION_CREATE, "denied", null, "wrong name or password for user name "
                        + request.name() + (byName.allowed() && byAddress.allowed() ? "" : "; now locked out"));
                return null;
            });
            throw ApiException.unauthorized("invalid-login", "wrong name or password");
        }
        lockout.recordSuccess(nameKey);
        lockout.recordSuccess(addressKey);
        String token = Tokens.newSecret(Tokens.API_TOKEN_PREFIX, random);
        Instant now = clock.instant();
        Instant expiresAt = now.plus(SESSION);
        String userId = user.get().id();
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
