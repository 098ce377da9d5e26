package org.castellan.server.web;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.castellan.server.admin.PasswordLogin;
import org.castellan.server.audit.AuditActions;
import org.castellan.server.db.Database;
import org.castellan.server.guard.Audited;
import org.castellan.server.guard.Caller;
import org.castellan.server.guard.ConsoleGuard;
import org.castellan.server.guard.ConsoleSessions;
import org.castellan.server.guard.PendingSignIn;
import org.castellan.server.guard.Visitor;
import org.castellan.server.http.ApiException;
import org.castellan.server.ratelimit.RateDecision;
import org.castellan.server.users.SqlTotpStore;
import org.castellan.server.users.SqlWebSessionStore;
import org.castellan.server.users.Totp;
import org.castellan.server.users.TotpSeeds;
import org.castellan.server.users.UserStore;

/**
 * Signing in to the console takes two steps: name and password ({@link PasswordLogin}: the API's
 * lockout and audit), then a TOTP code. A user without a second factor enrols it in that second
 * step (the page shows the {@code otpauth://} URI and its secret; the first good code confirms it).
 * Each step issues a new session id; a code is good once; failed codes count towards the lockout.
 */
public final class SignInPages {
    static final String VIA = " (web console)";
    private final PasswordLogin login;
    private final ConsoleSessions sessions;
    private final SqlTotpStore totps;
    private final TotpSeeds seeds;
    private final Database db;
    private final Clock clock;
    private final SecureRandom random;
    private final boolean singleSignOn;

    public SignInPages(PasswordLogin login, ConsoleSessions sessions, SqlTotpStore totps, TotpSeeds seeds, Database db,
                       Clock clock, SecureRandom random, boolean singleSignOn) {
        this.singleSignOn = singleSignOn;
        this.login = login;
        this.sessions = sessions;
        this.totps = totps;
        this.seeds = seeds;
        this.db = db;
        this.clock = clock;
        this.random = random;
    }

    public void form(Context ctx, Visitor visitor) {
        signInForm(ctx, 200, null, "");
    }

    private void signInForm(Context ctx, int status, String error, String name) {
        Html.page(ctx, status, "Sign in", null, "<h1>Sign in</h1>" + Html.message("error", error)
                + "<form method=\"post\" action=\"" + ConsoleGuard.SIGN_IN_PATH + "\" class=\"stack\" id=\"sign-in-form\">"
                + Html.csrfField(ctx)
                + "<label for=\"name\">User name</label><input id=\"name\" name=\"name\" autocomplete=\"username\""
                + " required maxlength=\"64\" autofocus value=\"" + Html.esc(name) + "\">"
                + "<label for=\"password\">Password</label><input id=\"password\" name=\"password\" type=\"password\""
                + " autocomplete=\"current-password\" required maxlength=\"1024\">"
                + "<button type=\"submit\">Next</button></form>"
                + (singleSignOn ? "<p><a id=\"sso\" class=\"button\" href=\"" + ConsoleGuard.SIGN_IN_PATH
                        + "/sso\">Sign in with single sign-on</a></p>" : ""));
    }

    public void signIn(Context ctx, Visitor visitor) {
        String name = ctx.formParam("name");
        UserStore.User user;
        try {
            user = login.check(visitor, name, ctx.formParam("password"), VIA);
        } catch (ApiException e) {
            if (e.retryAfterSeconds() > 0) {
                ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
            }
            signInForm(ctx, e.status(), e.getMessage() + (e.retryAfterSeconds() > 0
                    ? " (in " + e.retryAfterSeconds() + " seconds)" : ""), name == null || name.length() > 64 ? "" : name);
            return;
        }
        visitor.write((c, audit) -> {
            sessions.start(c, ctx, null, user.id(), SqlWebSessionStore.SECOND_FACTOR, null);
            audit.append("user:" + user.id(), AuditActions.SESSION_CREATE, "ok", null,
                    "password accepted" + VIA + "; second factor due");
            return null;
        });
        ctx.redirect(ConsoleGuard.SIGN_IN_PATH + "/second-factor", HttpStatus.SEE_OTHER);
    }

    public void secondFactorForm(Context ctx, PendingSignIn pending) {
        String userId = pending.session().userId();
        Optional<SqlTotpStore.TotpRow> row = db.read(c -> totps.of(c, userId));
        if (row.isPresent() && row.get().confirmed()) {
            codeForm(ctx, 200, pending, null, "");
            return;
        }
        byte[] seed = new byte[Totp.SEED_BYTES];
        random.nextBytes(seed);
        try {
            String sealed = seeds.seal(userId, seed);
            pending.visitor().write((c, audit) -> totps.putUnconfirmed(c, userId, sealed, clock.instant()));
            String uri = Totp.uri("Castellan", pending.session().userName(), seed);
            codeForm(ctx, 200, pending, null, "<section class=\"enrol\"><h2>Set up your second factor</h2>"
                    + "<p>Add this account to your authenticator app (scan or paste the link), then enter the"
                    + " 6-digit code it shows.</p>"
                    + "<p><a id=\"totp-uri\" href=\"" + Html.esc(uri) + "\">" + Html.esc(uri) + "</a></p>"
                    + "<p>Secret: <code id=\"totp-secret\">" + Html.esc(Totp.base32(seed)) + "</code></p></section>");
        } finally {
            TotpSeeds.wipe(seed);
        }
    }

    private void codeForm(Context ctx, int status, PendingSignIn pending, String error, String enrol) {
        Html.page(ctx, status, "Second factor", null, "<h1>Second factor</h1>" + enrol + Html.message("error", error)
                + "<form method=\"post\" action=\"" + ConsoleGuard.SIGN_IN_PATH + "/second-factor\" class=\"stack\""
                + " id=\"second-factor-form\">" + Html.csrfField(ctx)
                + "<label for=\"code\">Code from your authenticator app</label>"
                + "<input id=\"code\" name=\"code\" inputmode=\"numeric\" autocomplete=\"one-time-code\" required"
                + " pattern=\"[0-9 ]{6,7}\" maxlength=\"7\" autofocus>"
                + "<button type=\"submit\">Sign in</button></form>");
    }

    public void secondFactor(Context ctx, PendingSignIn pending) {
        SqlWebSessionStore.WebSession session = pending.session();
        String userId = session.userId();
        String key = "totp-user:" + userId;
        RateDecision locked = login.lockout().check(key);
        if (!locked.allowed()) {
            throw ApiException.tooManyRequests("locked-out", "too many wrong codes; try again later",
                    locked.retryAfterSeconds());
        }
        SqlTotpStore.TotpRow row = db.read(c -> totps.of(c, userId)).orElseThrow(() ->
                ApiException.badRequest("no-second-factor", "reload the page to set up your second factor"));
        Instant now = clock.instant();
        byte[] seed = seeds.open(userId, row.sealedSeed());
        OptionalLong step;
        try {
            step = Totp.matchingStep(seed, ctx.formParam("code"), now);
        } finally {
            TotpSeeds.wipe(seed);
        }
        boolean accepted = step.isPresent() && pending.visitor().write((c, audit) -> {
            if (!totps.useStep(c, userId, step.getAsLong(), now)) {
                return false;
            }
            sessions.start(c, ctx, session.id(), userId, SqlWebSessionStore.SIGNED_IN, now);
            audit.append("user:" + userId, AuditActions.SESSION_CREATE, "ok", null,
                    "signed in" + VIA + " with password and TOTP" + (row.confirmed() ? "" : "; TOTP enrolled"));
            return true;
        });
        if (!accepted) {
            RateDecision after = login.lockout().recordFailure(key);
            pending.visitor().write((c, audit) -> {
                audit.append("user:" + userId, AuditActions.SESSION_CREATE, "denied", null,
                        (step.isPresent() ? "TOTP code already used" : "wrong TOTP code") + VIA
                                + (after.allowed() ? "" : "; now locked out"));
                return null;
            });
            codeForm(ctx, 401, pending, step.isPresent() ? "That code was already used; wait for the next one."
                    : "Wrong code; try again.", "");
            return;
        }
        login.lockout().recordSuccess(key);
        ctx.redirect("/", HttpStatus.SEE_OTHER);
    }

    public void signOut(Context ctx, Caller caller) {
        String sessionId = caller.principal().tokenId();
        caller.act(AuditActions.SESSION_END, c -> {
            sessions.end(c, ctx, sessionId);
            return Audited.of(null, "signed out" + VIA);
        });
        ctx.redirect(ConsoleGuard.SIGN_IN_PATH, HttpStatus.SEE_OTHER);
    }
}
