package org.castellan.server.guard;

import org.castellan.server.http.ApiException;

/** The answers of the guards, for handlers that refuse the same way (someone else's object looks forbidden). */
public final class Refusals {
    private Refusals() {}

    public static ApiException forbidden() {
        return ApiException.forbidden("forbidden", "you do not have permission for this");
    }
}
