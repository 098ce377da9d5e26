package org.castellan.server.http;

import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Caps request bodies at 64 KiB. The declared Content-Length is checked before anything is read,
 * and reading stops one byte past the limit, so a chunked body cannot exhaust memory either.
 */
public final class RequestLimits {
    public static final int MAX_BODY_BYTES = 64 * 1024;
    private static final String BODY = "castellan.body";

    private RequestLimits() {}

    /** Before-handler: refuses a declared over-size body without reading it. */
    public static void checkDeclaredLength(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_BODY_BYTES) {
            throw tooLarge();
        }
    }

    /** The exact body bytes (read once, cached), at most 64 KiB. */
    public static byte[] body(Context ctx) {
        byte[] cached = ctx.attribute(BODY);
        if (cached != null) {
            return cached;
        }
        checkDeclaredLength(ctx);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (InputStream in = ctx.req().getInputStream()) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                out.write(buffer, 0, n);
                if (out.size() > MAX_BODY_BYTES) {
                    throw tooLarge();
                }
            }
        } catch (IOException e) {
            throw ApiException.badRequest("unreadable-body", "the request body could not be read");
        }
        byte[] body = out.toByteArray();
        ctx.attribute(BODY, body);
        return body;
    }

    private static ApiException tooLarge() {
        return new ApiException(413, "body-too-large", "request body is larger than " + MAX_BODY_BYTES + " bytes");
    }
}
