package org.castellan.server.web;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.castellan.server.audit.AuditActions;
import org.castellan.server.guard.Audited;
import org.castellan.server.guard.Caller;
import org.castellan.server.guard.ConsoleSessions;
import org.castellan.server.http.ApiException;
import org.castellan.server.users.SqlTotpStore;

/**
 * {@code POST /step-up}: the signed-in user types a TOTP code because a rule wants a second factor
 * within its last N minutes. A good code (spent once, like at sign-in, and counted by the same
 * lockout) marks the session's second factor as shown now, on record as {@code session.step-up};
 * the browser is then sent with a 307 to repeat the request it was on ({@code then}: only the
 * console's reveal and look-up paths), so the repeat carries the same form fields and CSRF token
 * and passes through the permission guard again. A wrong code: the prompt again, 401, on record.
 */
public final class StepUpPages {
    private final TotpCodes codes;
    private final SqlTotpStore totps;
    private final ConsoleSessions sessions;
    private final Clock clock;
    private final boolean singleSignOn;

    StepUpPages(TotpCodes codes, SqlTotpStore totps, ConsoleSessions sessions, Clock clock, boolean singleSignOn) {
        this.codes = codes;
        this.totps = totps;
        this.sessions = sessions;
        this.clock = clock;
        this.singleSignOn = singleSignOn;
    }

    public static StepUpPages of(org.castellan.server.ratelimit.Lockout lockout, SqlTotpStore totps,
                                 org.castellan.server.users.TotpSeeds seeds, org.castellan.server.db.Database db,
                                 ConsoleSessions sessions, Clock clock, boolean singleSignOn) {
        return new StepUpPages(new TotpCodes(lockout, totps, seeds, db), totps, sessions, clock, singleSignOn);
    }

    public void confirm(Context ctx, Caller caller) {
        String then = ctx.formParam("then");
        if (then == null || !StepUpPrompt.THEN.matcher(then).matches()) {
            throw ApiException.badRequest("invalid-then", "this form is out of date; go back to the device and try again");
        }
        String userId = caller.principal().userId();
        Optional<SqlTotpStore.TotpRow> row = codes.confirmed(userId);
        if (row.isEmpty()) {
            throw ApiException.badRequest("no-second-factor",
                    "you have no second factor set up: sign out and sign in again to set one up");
        }
        Instant now = clock.instant();
        OptionalLong step = codes.match(row.get(), ctx.formParam("code"), now);
        String sessionId = caller.principal().tokenId();
        boolean accepted = step.isPresent() && caller.act(AuditActions.SESSION_STEP_UP, c -> {
            if (!totps.useStep(c, userId, step.getAsLong(), now)) {
                return Audited.unchanged(false);
            }
            sessions.secondFactorShown(c, sessionId);
            return Audited.of(true, "second factor shown again (TOTP) in the web console, for " + then);
        });
        if (!accepted) {
            boolean mayRetry = codes.failed(userId);
            caller.denied(AuditActions.SESSION_STEP_UP, null, (step.isPresent() ? "TOTP code already used"
                    : "wrong TOTP code") + " in the web console" + (mayRetry ? "" : "; now locked out"));
            StepUpPrompt.page(ctx, 401, caller.principal().userName(),
                    "A rule asks for your second factor before this.",
                    step.isPresent() ? "That code was already used; wait for the next one." : "Wrong code; try again.",
                    then, ctx.formParam("reason"), ctx.formParam("keyId"), true, singleSignOn);
            return;
        }
        codes.succeeded(userId);
        // 307: the browser repeats the POST it was on, with the same fields (reason, key id, CSRF token).
        ctx.redirect(then, HttpStatus.TEMPORARY_REDIRECT);
    }
}
