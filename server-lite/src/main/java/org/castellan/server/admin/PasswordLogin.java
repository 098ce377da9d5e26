package org.castellan.server.admin;

import java.util.Optional;
import org.castellan.protocol.Secret;
import org.castellan.server.audit.AuditActions;
import org.castellan.server.db.Database;
import org.castellan.server.guard.Visitor;
import org.castellan.server.http.ApiException;
import org.castellan.server.ratelimit.LimitKeys;
import org.castellan.server.ratelimit.Lockout;
import org.castellan.server.ratelimit.RateDecision;
import org.castellan.server.users.PasswordHasher;
import org.castellan.server.users.UserStore;

/**
 * A name and password checked against the Argon2id hash, for the API's {@code POST /api/v1/sessions}
 * and the console's sign-in alike (one lockout, one audit trail). Failures count per user name and
 * per client address; a locked key answers 429 {@code locked-out} without checking the password (so
 * a locked account cannot be probed); an unknown name costs the same hash as a known one. Refusals
 * are audited here; the caller audits the success with what it issues.
 */
public final class PasswordLogin {
    private final Database db;
    private final UserStore users;
    private final PasswordHasher hasher;
    private final Lockout lockout;

    public PasswordLogin(Database db, UserStore users, PasswordHasher hasher, Lockout lockout) {
        this.db = db;
        this.users = users;
        this.hasher = hasher;
        this.lockout = lockout;
    }

    public Lockout lockout() {
        return lockout;
    }

    /** The enabled user with this name and password, or a refusal (401 {@code invalid-login}, 429 {@code locked-out}). */
    public UserStore.User check(Visitor visitor, String name, String password, String via) {
        if (name == null || !org.castellan.server.http.Names.isUserName(name) || password == null || password.length() > 1024) {
            throw ApiException.badRequest("invalid-login", "fields 'name' and 'password' are required");
        }
        String nameKey = "login-name:" + name;
        String addressKey = "login-" + LimitKeys.address(visitor.address());
        for (String key : new String[] {nameKey, addressKey}) {
            RateDecision locked = lockout.check(key);
            if (!locked.allowed()) {
                // Coalesced per address and window: hammering a lock cannot grow the log without bound.
                visitor.refusedRepeatedly(AuditActions.SESSION_CREATE, "user name " + name + via, "locked-out");
                throw ApiException.tooManyRequests("locked-out", "too many failed logins; try again later",
                        locked.retryAfterSeconds());
            }
        }
        Optional<UserStore.User> user = db.read(c -> users.byName(c, name));
        boolean ok;
        try (Secret secret = Secret.of(password)) {
            ok = user.isPresent() && user.get().passwordHash() != null && user.get().disabledAt() == null
                    ? hasher.verify(secret, user.get().passwordHash())
                    : hasher.verifyUnknownUser(secret);
        }
        if (!ok) {
            RateDecision byName = lockout.recordFailure(nameKey);
            RateDecision byAddress = lockout.recordFailure(addressKey);
            String who = user.map(u -> "user:" + u.id()).orElse("anonymous");
            visitor.write((c, audit) -> {
                audit.append(who, AuditActions.SESSION_CREATE, "denied", null, "wrong name or password for user name "
                        + name + via + (byName.allowed() && byAddress.allowed() ? "" : "; now locked out"));
                return null;
            });
            throw ApiException.unauthorized("invalid-login", "wrong name or password");
        }
        lockout.recordSuccess(nameKey);
        lockout.recordSuccess(addressKey);
        return user.get();
    }
}
