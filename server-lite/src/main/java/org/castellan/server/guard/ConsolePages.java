package org.castellan.server.guard;

import io.javalin.http.Context;

/** How the console shows a refusal: an HTML page (the console's own look), not the API's JSON body. */
public interface ConsolePages {
    void error(Context ctx, int status, String code, String message, long retryAfterSeconds);
}
