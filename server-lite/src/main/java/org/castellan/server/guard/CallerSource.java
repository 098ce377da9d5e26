package org.castellan.server.guard;

import io.javalin.http.Context;
import java.util.Optional;

/**
 * Where a permission-guarded request's caller and reason come from: the API's bearer token and
 * {@code ?reason=}, or the console's session and the form's {@code reason} field. The decision,
 * audit, notifications and rate limits after that are one and the same ({@link PermissionGuard}).
 */
interface CallerSource {
    Optional<Caller> caller(Context ctx);

    String reason(Context ctx);

    static CallerSource api(CallerGuard callers) {
        return new CallerSource() {
            @Override
            public Optional<Caller> caller(Context ctx) {
                return callers.tryCaller(ctx);
            }

            @Override
            public String reason(Context ctx) {
                return ctx.queryParam("reason");
            }
        };
    }
}
