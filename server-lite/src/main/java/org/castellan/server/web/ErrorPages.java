package org.castellan.server.web;

import io.javalin.http.Context;
import org.castellan.server.guard.ConsolePages;
import org.castellan.server.guard.ConsoleSessions;
import org.castellan.server.guard.ConsoleGuard;

/** A refusal as the console shows it: the status, the message, and for 429 when to try again. */
public final class ErrorPages implements ConsolePages {
    @Override
    public void error(Context ctx, int status, String code, String message, long retryAfterSeconds) {
        // A 404 page of the console stays HTML (else Javalin's 404 mapper writes the API's JSON over it).
        org.castellan.server.http.ErrorMapping.alreadyAnswered(ctx);
        String retry = retryAfterSeconds > 0 ? "<p class=\"retry\">Try again in " + retryAfterSeconds + " seconds.</p>" : "";
        if (retryAfterSeconds > 0) {
            ctx.header("Retry-After", Long.toString(retryAfterSeconds));
        }
        String back = status == 401 ? "<p><a href=\"" + ConsoleGuard.SIGN_IN_PATH + "\">Sign in</a></p>"
                : "<p><a href=\"/\">Back to the search</a></p>" + AdminPages.backTo(ctx, status);
        boolean signedIn = ConsoleGuard.session(ctx) != null && !ConsoleSessions.csrf(ctx).isEmpty();
        Html.page(ctx, status, "Refused", signedIn ? ConsoleGuard.session(ctx).userName() : null,
                "<h1>" + status + " · " + Html.esc(title(status)) + "</h1>"
                        + "<p class=\"error\" role=\"alert\" data-code=\"" + Html.esc(code) + "\">" + Html.esc(message)
                        + "</p>" + retry + back);
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Not accepted";
            case 401 -> "Not signed in";
            case 403 -> "Not allowed";
            case 404 -> "Not found";
            case 409 -> "Not possible now";
            case 429 -> "Too many requests";
            default -> "Refused";
        };
    }
}
