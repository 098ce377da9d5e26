package org.castellan.server.web;

import io.javalin.http.Context;
import java.util.regex.Pattern;
import org.castellan.server.guard.ConsoleGuard;
import org.castellan.server.guard.ConsolePages;
import org.castellan.server.guard.PermissionGuard;
import org.castellan.server.users.SqlWebSessionStore.WebSession;

/**
 * The console's answer when a rule wants a fresher second factor than the session has shown
 * ({@value PermissionGuard#SECOND_FACTOR_REQUIRED}, decided and audited by the permission guard):
 * instead of a bare refusal, a page that asks for a TOTP code and then repeats the request
 * ({@link StepUpPages}), or, for a user without TOTP (single sign-on), a link to sign in again at
 * the identity provider. Every other refusal is the plain error page.
 */
public final class StepUpPrompt implements ConsolePages {
    /** The requests a step-up may repeat: reveals and look-ups the console posts. */
    static final Pattern THEN = Pattern.compile(
            "/devices/[A-Za-z0-9-]{1,64}/(password|password/history|recovery-keys)|/recovery-keys");
    private final ConsolePages otherwise;
    private final TotpCodes codes;
    private final boolean singleSignOn;

    StepUpPrompt(ConsolePages otherwise, TotpCodes codes, boolean singleSignOn) {
        this.otherwise = otherwise;
        this.codes = codes;
        this.singleSignOn = singleSignOn;
    }

    /** The prompt in front of the plain error pages, for the console guard. */
    public static ConsolePages of(ConsolePages otherwise, org.castellan.server.db.Database db,
                                  org.castellan.server.users.SqlTotpStore totps,
                                  org.castellan.server.users.TotpSeeds seeds, boolean singleSignOn) {
        // The lockout is only consulted when a code is checked (StepUpPages), never here.
        return new StepUpPrompt(otherwise, new TotpCodes(null, totps, seeds, db), singleSignOn);
    }

    @Override
    public void error(Context ctx, int status, String code, String message, long retryAfterSeconds) {
        WebSession session = ConsoleGuard.session(ctx);
        if (!PermissionGuard.SECOND_FACTOR_REQUIRED.equals(code) || session == null || !THEN.matcher(ctx.path()).matches()) {
            otherwise.error(ctx, status, code, message, retryAfterSeconds);
            return;
        }
        boolean totp = codes.confirmed(session.userId()).isPresent();
        page(ctx, status, session.userName(), message, null, ctx.path(), ctx.formParam("reason"),
                ctx.formParam("keyId"), totp, singleSignOn);
    }

    /** The step-up page: the code form that repeats {@code then} with the same fields, or the way to sign in again. */
    static void page(Context ctx, int status, String userName, String message, String error, String then,
                     String reason, String keyId, boolean totp, boolean singleSignOn) {
        StringBuilder body = new StringBuilder("<h1>Confirm it is you</h1>")
                .append("<p id=\"step-up-why\">").append(Html.esc(message)).append("</p>")
                .append(Html.message("error", error));
        if (totp) {
            body.append("<form method=\"post\" action=\"/step-up\" class=\"stack\" id=\"step-up-form\">")
                    .append(Html.csrfField(ctx))
                    .append(hidden("then", then)).append(hidden("reason", reason)).append(hidden("keyId", keyId))
                    .append("<label for=\"code\">Code from your authenticator app</label>")
                    .append("<input id=\"code\" name=\"code\" inputmode=\"numeric\" autocomplete=\"one-time-code\"")
                    .append(" required pattern=\"[0-9 ]{6,7}\" maxlength=\"7\" autofocus>")
                    .append("<button type=\"submit\">Confirm and continue</button></form>");
        }
        if (singleSignOn) {
            String back = then.startsWith("/devices/") ? then.substring(0, then.indexOf('/', "/devices/".length()))
                    : "/recovery-keys";
            body.append("<p><a id=\"step-up-sso\" class=\"button\" href=\"").append(ConsoleGuard.SIGN_IN_PATH)
                    .append("/sso?then=").append(Html.esc(back)).append("\">Sign in again with single sign-on</a></p>");
        }
        if (!totp && !singleSignOn) {
            body.append("<p>You have no second factor set up: sign out and sign in again to set one up.</p>");
        }
        body.append("<p><a href=\"/\">Back to the search</a></p>");
        Html.page(ctx, status, "Confirm it is you", userName, body.toString());
    }

    private static String hidden(String name, String value) {
        return value == null || value.isEmpty() ? ""
                : "<input type=\"hidden\" name=\"" + name + "\" value=\"" + Html.esc(value) + "\">";
    }
}
