package org.castellan.server.guard;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.Optional;
import org.castellan.server.access.Permission;
import org.castellan.server.http.ApiException;
import org.castellan.server.users.SqlWebSessionStore;
import org.castellan.server.users.SqlWebSessionStore.WebSession;

/**
 * The web console's guards. Every request that is not a GET must carry the CSRF token of its
 * session (or, before sign-in, of the sign-in cookie), else 403 and nothing runs. Pages behind
 * sign-in need a live, signed-in session: a GET without one is sent to the sign-in page, anything
 * else answers 401. Refusals render as the console's HTML error page ({@link ConsolePages});
 * permission-guarded console routes go through the very {@link PermissionGuard} the API uses.
 */
public final class ConsoleGuard {
    public static final String SIGN_IN_PATH = "/sign-in";
    private final ConsoleSessions sessions;
    private final CallerGuard callers;
    private final PermissionGuard permissions;
    private final ConsolePages pages;

    public ConsoleGuard(ConsoleSessions sessions, CallerGuard callers, PermissionGuard permissions,
                        ConsolePages pages) {
        this.sessions = sessions;
        this.callers = callers;
        this.permissions = permissions;
        this.pages = pages;
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    /** Sign-in pages and assets: no session needed; a POST needs the sign-in cookie's CSRF token. */
    void open(Context ctx, Routes.OpenHandler handler) throws Exception {
        rendered(ctx, () -> {
            if (!isGet(ctx)) {
                requireCsrf(ctx, ConsoleSessions.SIGN_IN_COOKIE);
            }
            sessions.exposeCsrf(ctx, ConsoleSessions.SIGN_IN_COOKIE, isGet(ctx));
            handler.handle(ctx, callers.visitor(ctx));
        });
    }

    /** The second-factor step: a session whose password was right and whose code is due. */
    void secondFactor(Context ctx, Routes.PendingHandler handler) throws Exception {
        rendered(ctx, () -> {
            Optional<WebSession> session = sessions.current(ctx)
                    .filter(s -> SqlWebSessionStore.SECOND_FACTOR.equals(s.stage()));
            if (session.isEmpty()) {
                toSignIn(ctx);
                return;
            }
            if (!isGet(ctx)) {
                requireCsrf(ctx, ConsoleSessions.COOKIE);
            }
            sessions.exposeCsrf(ctx, ConsoleSessions.COOKIE, false);
            handler.handle(ctx, new PendingSignIn(session.get(), callers.visitor(ctx)));
        });
    }

    /** Pages behind sign-in; the session's use (its idle clock) is recorded like a token's. */
    void signedIn(Context ctx, Routes.CallerHandler handler) throws Exception {
        rendered(ctx, () -> {
            Optional<Caller> caller = signedInCaller(ctx);
            if (caller.isEmpty()) {
                toSignIn(ctx);
                return;
            }
            try {
                if (isGet(ctx)) {
                    caller.get().finish();
                }
                handler.handle(ctx, caller.get());
            } finally {
                caller.get().finish();
            }
        });
    }

    /** Admin pages: a signed-in session whose user has the admin role, else 403 as the API's admin routes answer. */
    void admin(Context ctx, Routes.CallerHandler handler) throws Exception {
        signedIn(ctx, (c, caller) -> {
            if (!caller.principal().admin()) {
                throw Refusals.forbidden();
            }
            handler.handle(c, caller);
        });
    }

    /** A permission on the route's device, decided, limited and audited exactly as for the API. */
    void permission(Context ctx, Permission permission, String action, Routes.DeviceHandler handler)
            throws Exception {
        rendered(ctx, () -> {
            Optional<Caller> caller = signedInCaller(ctx);
            if (caller.isEmpty()) {
                toSignIn(ctx);
                return;
            }
            permissions.onDevice(ctx, new CallerSource() {
                @Override
                public Optional<Caller> caller(Context c) {
                    return caller;
                }

                @Override
                public String reason(Context c) {
                    String reason = c.formParam("reason");
                    return reason == null || reason.isBlank() ? null : reason.strip();
                }
            }, permission, action, handler);
        });
    }

    /** The signed-in caller, after the CSRF check for anything but a GET. */
    private Optional<Caller> signedInCaller(Context ctx) {
        Optional<WebSession> session = sessions.current(ctx)
                .filter(s -> SqlWebSessionStore.SIGNED_IN.equals(s.stage()));
        if (session.isEmpty()) {
            return Optional.empty();
        }
        if (!isGet(ctx)) {
            requireCsrf(ctx, ConsoleSessions.COOKIE);
        }
        sessions.exposeCsrf(ctx, ConsoleSessions.COOKIE, false);
        ctx.attribute(SESSION_ATTRIBUTE, session.get());
        return Optional.of(callers.callerFor(ctx, session.get().principal(), sessions));
    }

    static final String SESSION_ATTRIBUTE = "castellan.console.session";

    /** The signed-in session of this request (on console routes behind sign-in). */
    public static WebSession session(Context ctx) {
        return ctx.attribute(SESSION_ATTRIBUTE);
    }

    private void requireCsrf(Context ctx, String cookie) {
        if (!sessions.csrfMatches(ctx, cookie)) {
            throw ApiException.forbidden("csrf-token-invalid",
                    "this form is out of date or did not come from this site; reload the page and try again");
        }
    }

    private void toSignIn(Context ctx) {
        if (isGet(ctx)) {
            ctx.redirect(SIGN_IN_PATH, io.javalin.http.HttpStatus.SEE_OTHER);
        } else {
            throw ApiException.unauthorized("not-signed-in", "your session has ended; sign in again");
        }
    }

    private void rendered(Context ctx, Step step) throws Exception {
        try {
            step.run();
        } catch (ApiException e) {
            pages.error(ctx, e.status(), e.code(), e.getMessage(), e.retryAfterSeconds());
        }
    }

    private static boolean isGet(Context ctx) {
        return ctx.method() == HandlerType.GET || ctx.method() == HandlerType.HEAD;
    }
}
