package org.castellan.server.http;

import io.javalin.http.Context;

/** The client's address as the socket sees it (never X-Forwarded-For, which a client can forge). */
public final class Clients {
    private Clients() {}

    public static String address(Context ctx) {
        return ctx.req().getRemoteAddr();
    }
}
