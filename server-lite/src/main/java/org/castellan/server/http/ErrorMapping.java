package org.castellan.server.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.castellan.protocol.ApiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place exceptions become responses. Known refusals keep their status and code;
 * anything else is a 500 {@code internal-error} whose detail stays in the server log.
 */
public final class ErrorMapping {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapping.class);

    private ErrorMapping() {}

    public static void install(JavalinConfig config) {
        config.routes.exception(ApiException.class, (e, ctx) -> {
            if (e.retryAfterSeconds() > 0) {
                ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
            }
            write(ctx, e.status(), e.code(), e.getMessage());
        });
        config.routes.exception(HttpResponseException.class, (e, ctx) -> fromJavalin(ctx, e.getStatus()));
        config.routes.exception(Exception.class, (e, ctx) -> {
            Unavailable unavailable = unavailable(e);
            if (unavailable != null) {
                // Busy, locked or unreachable database, full disk: nothing was done; the client may retry later.
                LOG.warn("{} {} answered 503 {}: {}", ctx.method(), ctx.path(), unavailable.unavailableCode(), e.toString());
                ctx.header("Retry-After", Long.toString(unavailable.retryAfterSeconds()));
                write(ctx, 503, unavailable.unavailableCode(), switch (unavailable.unavailableCode()) {
                    case "storage-full" -> "the server's storage is full; nothing was changed; retry later";
                    case "database-unavailable" ->
                            "the server cannot reach its database; nothing was changed; retry shortly or on another node";
                    default -> "the database is busy; nothing was changed; retry shortly";
                });
                return;
            }
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            write(ctx, 500, "internal-error", "the server failed to handle this request; see the server log");
        });
        config.routes.error(404, ctx -> {
            if (ctx.attribute(WRITTEN) == null) {
                write(ctx, 404, "not-found", "no such endpoint");
            }
        });
        config.routes.error(405, ctx -> {
            if (ctx.attribute(WRITTEN) == null) {
                write(ctx, 405, "method-not-allowed", "this endpoint does not take that method");
            }
        });
    }

    private static final String WRITTEN = "castellan.error-written";

    /**
     * Marks the response as already written by someone else (the console's HTML error page), so
     * the 404 and 405 mappers leave it alone instead of replacing it with the API's JSON body.
     */
    public static void alreadyAnswered(Context ctx) {
        ctx.attribute(WRITTEN, Boolean.TRUE);
    }

    private static Unavailable unavailable(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof Unavailable u && u.unavailableCode() != null) {
                return u;
            }
        }
        return null;
    }

    private static void fromJavalin(Context ctx, int status) {
        switch (status) {
            case 404 -> write(ctx, 404, "not-found", "no such endpoint");
            case 405 -> write(ctx, 405, "method-not-allowed", "this endpoint does not take that method");
            case 413 -> write(ctx, 413, "body-too-large", "request body is larger than " + RequestLimits.MAX_BODY_BYTES + " bytes");
            default -> write(ctx, status, status >= 500 ? "internal-error" : "bad-request", "request refused");
        }
    }

    static void write(Context ctx, int status, String code, String message) {
        ctx.attribute(WRITTEN, Boolean.TRUE);
        Responses.json(ctx, status, new ApiError(code, message));
    }
}
