package org.castellan.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.http.Context;
import org.castellan.protocol.Json;

/** Writes JSON responses with the shared strict mapper (not Javalin's own). */
public final class Responses {
    private Responses() {}

    public static void json(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(Json.mapper().writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize response " + body.getClass().getSimpleName(), e);
        }
    }

    public static void ok(Context ctx, Object body) {
        json(ctx, 200, body);
    }
}
